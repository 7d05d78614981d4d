/**
 * Customers from a CSV file uploaded in the browser (admins only), the file `linka customers
 * import` reads. The upload shows a preview: who would be created, what would change (field, old
 * and new value), who stays as they are, and every row with a problem, worked out by the import's
 * own code (planCustomersImport). "Import" then applies exactly that file with the same code as
 * the command (parseCustomersCsv, importCustomers), so the database ends up as the command leaves it.
 *
 * Nothing is kept on the server between the two steps (so any process behind a load balancer can
 * take the second): the preview's form carries the file, compressed, with the preview's digest,
 * sealed with an HMAC keyed by the session's id (the SHA-256 of the HttpOnly session cookie, which
 * no script in the page can read). A changed file or digest, or a form from another sign-in, is
 * refused; a database that changed since the preview gets a new preview to confirm.
 */
import { createHash, createHmac } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { LinkaConfig } from '../config/schema.js';
import { LinkaError } from '../errors.js';
import { CSV_COLUMNS, type ImportPlan, importCustomers, importOptionsOf, parseCustomersCsv, planCustomersImport } from '../import/customers-csv.js';
import type { Lang } from '../shared/lang.js';
import type { CustomerChange } from '../store/customers.js';
import { type AuthSettings, type ConsoleEnv, type Ctx, formOf, requireRole, sameToken } from './auth.js';
import { fieldLabel, problemText } from './customer-edit.js';
import { csrfField, type Markup, page } from './layout.js';
import { ct } from './texts.js';
import { viewerOf } from './tickets.js';

export interface CustomerImportDeps extends AuthSettings {
  config: LinkaConfig;
  /** server.bodyLimitBytes: no request may be larger. */
  bodyLimitBytes: number;
}

/** Room in a request for the form's other fields and the multipart framing around the file. */
const FORM_OVERHEAD = 16 * 1024;

/** The largest file the upload takes: what fits in one request. */
export const maxUploadBytes = (bodyLimitBytes: number) => Math.max(1024, bodyLimitBytes - FORM_OVERHEAD);

/** "1 008 kB" (cs, sk), "1,008 kB" (en). */
export function sizeText(bytes: number, lang: Lang): string {
  const kb = String(Math.floor(bytes / 1024)).replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'en' ? ',' : ' ');
  return `${kb} kB`;
}

/** The CustomerInput field's column name (as the form and the file call it). */
const COLUMN_OF: Record<CustomerChange['field'], string> = {
  contractNumber: 'contract_number',
  name: 'name',
  phones: 'phones',
  language: 'language',
  tier: 'tier',
  area: 'area',
  accessPoint: 'access_point',
  address: 'address',
  email: 'email',
  telegramId: 'telegram_id',
  planStart: 'plan_start',
  planEnd: 'plan_end',
  noticeChannel: 'notice_channel',
};

/** What the preview showed, as one hash: the same file on an unchanged database gives the same digest. */
function planDigest(plan: ImportPlan): string {
  const shown = {
    rows: plan.rows,
    problems: plan.problems.map((p) => [p.line ?? null, p.contractNumber ?? null, p.column, p.code, p.params]),
    warnings: plan.warnings,
  };
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex');
}

/** The seal over the carried file: keyed by the session's id, which the browser's scripts never see. */
function seal(c: Ctx, fields: { payload: string; plan: string; name: string }): string {
  return createHmac('sha256', c.get('session').id).update(['linka customers import', fields.payload, fields.plan, fields.name].join('\n')).digest('base64url');
}

const pack = (text: string) => deflateRawSync(Buffer.from(text, 'utf8')).toString('base64url');
const unpack = (payload: string, limit: number): string | null => {
  try {
    return inflateRawSync(Buffer.from(payload, 'base64url'), { maxOutputLength: limit }).toString('utf8');
  } catch {
    return null;
  }
};

export function customerImport(app: Hono<ConsoleEnv>, d: CustomerImportDeps): void {
  const maxBytes = maxUploadBytes(d.bodyLimitBytes);
  const opts = () => importOptionsOf(d.config);

  /** The upload form, with a notice above it (an error, or what the last import did). */
  const uploadPage = (c: Ctx, notice: Markup | '', status: 200 | 400 | 413 = 200) => {
    const lang = c.get('lang');
    const body = html`<p><a href="/console/customers">${ct(lang, 'customers.page.back')}</a></p>
${notice}
<p>${ct(lang, 'customers.import.intro', { columns: CSV_COLUMNS.join(', ') })}</p>
<form method="post" action="/console/customers/import" enctype="multipart/form-data" class="upload">
${csrfField(c.get('session').csrfToken)}
<label for="i-file">${ct(lang, 'customers.import.file')}</label>
<p class="hint" id="i-file-hint">${ct(lang, 'customers.import.maxSize', { size: sizeText(maxBytes, lang) })}</p>
<input type="file" id="i-file" name="file" accept=".csv,text/csv,text/plain" required aria-describedby="i-file-hint" data-max-bytes="${maxBytes}" data-too-large="${ct(lang, 'customers.import.tooLargeFile', { size: sizeText(maxBytes, lang) })}">
<p><button type="submit">${ct(lang, 'customers.import.previewSubmit')}</button></p>
</form>`;
    return c.html(page({ lang, title: ct(lang, 'customers.import.title'), viewer: viewerOf(c), current: '/console/customers', body }), status);
  };
  const errorNotice = (text: string, detail?: string) =>
    html`<div class="notice error" role="alert"><p>${text}</p>${detail ? html`<pre>${detail}</pre>` : ''}</div>`;

  /** The preview of `text` (or the upload form saying why the file cannot be read). */
  const preview = async (c: Ctx, text: string, name: string, drifted = false) => {
    const lang = c.get('lang');
    let plan: ImportPlan;
    try {
      plan = await planCustomersImport(d.prisma, text, opts());
    } catch (err) {
      if (!(err instanceof LinkaError) || err.code !== 'csv_invalid') throw err;
      return uploadPage(c, errorNotice(ct(lang, 'customers.import.unreadable'), err.message), 400);
    }
    const digest = planDigest(plan);
    const payload = pack(text);
    const fits = payload.length + FORM_OVERHEAD <= d.bodyLimitBytes;
    const errorLines = new Set(plan.problems.map((p) => p.line ?? p.contractNumber)).size;
    const created = plan.rows.filter((r) => r.action === 'create');
    const changed = plan.rows.filter((r) => r.action === 'change');
    const unchanged = plan.rows.filter((r) => r.action === 'unchanged');
    const value = (v: string | null) => (v === null || v === '' ? '–' : v);
    const canApply = plan.problems.length === 0 && plan.rows.length > 0 && fits;
    const body = html`<p><a href="/console/customers/import">${ct(lang, 'customers.import.another')}</a></p>
${drifted ? html`<p class="notice error" role="alert">${ct(lang, 'customers.import.drifted')}</p>` : ''}
<p>${ct(lang, 'customers.import.fileName', { name })}</p>
<p role="status" class="counts">${ct(lang, 'customers.import.counts', { created: plan.counts.created, updated: plan.counts.updated, unchanged: plan.counts.unchanged, errors: errorLines })}</p>
${
  plan.problems.length
    ? html`<div class="notice error" role="alert"><p>${ct(lang, 'customers.import.blocked')}</p></div>
<h2>${ct(lang, 'customers.import.errorRows')} (${errorLines})</h2>
<div class="table-wrap"><table class="problems"><thead><tr><th scope="col">${ct(lang, 'customers.import.line')}</th><th scope="col">${ct(lang, 'customers.contract')}</th><th scope="col">${ct(lang, 'customers.import.field')}</th><th scope="col">${ct(lang, 'customers.import.problem')}</th></tr></thead><tbody>${plan.problems.map(
        (p) =>
          html`<tr><td>${p.line ?? '–'}</td><td>${p.contractNumber ?? '–'}</td><td>${p.column ? fieldLabel(lang, p.column) : '–'}</td><td>${problemText(lang, p)}</td></tr>`,
      )}</tbody></table></div>`
    : plan.rows.length === 0
      ? html`<p class="notice">${ct(lang, 'customers.import.noRows')}</p>`
      : ''
}
${
  plan.warnings.length
    ? html`<h2>${ct(lang, 'customers.import.warnings')}</h2><ul>${plan.warnings.map(
        (w) =>
          html`<li>${ct(lang, 'customers.import.warning', { line: w.line, contract: w.contractNumber, tier: w.tier, end: w.end, months: w.minimumTermMonths, start: w.start, until: w.minimumUntil })}</li>`,
      )}</ul>`
    : ''
}
${
  created.length
    ? html`<h2>${ct(lang, 'customers.import.created')} (${created.length})</h2>
<div class="table-wrap"><table class="created"><thead><tr><th scope="col">${ct(lang, 'customers.import.line')}</th><th scope="col">${ct(lang, 'customers.contract')}</th><th scope="col">${ct(lang, 'customers.name')}</th></tr></thead><tbody>${created.map(
        (r) => html`<tr><td>${r.line}</td><td>${r.contractNumber}</td><td>${r.name}</td></tr>`,
      )}</tbody></table></div>`
    : ''
}
${
  changed.length
    ? html`<h2>${ct(lang, 'customers.import.changed')} (${changed.length})</h2>
<div class="table-wrap"><table class="changed"><thead><tr><th scope="col">${ct(lang, 'customers.import.line')}</th><th scope="col">${ct(lang, 'customers.contract')}</th><th scope="col">${ct(lang, 'customers.import.field')}</th><th scope="col">${ct(lang, 'customers.import.old')}</th><th scope="col">${ct(lang, 'customers.import.new')}</th></tr></thead><tbody>${changed.flatMap(
        (r) =>
          r.changes.map(
            (ch) =>
              html`<tr><td>${r.line}</td><td>${r.contractNumber}</td><td>${fieldLabel(lang, COLUMN_OF[ch.field])}</td><td>${value(ch.from)}</td><td>${value(ch.to)}</td></tr>`,
          ),
      )}</tbody></table></div>`
    : ''
}
${
  unchanged.length
    ? html`<details><summary>${ct(lang, 'customers.import.unchangedRows')} (${unchanged.length})</summary><ul class="unchanged">${unchanged.map(
        (r) => html`<li>${r.contractNumber} · ${r.name}</li>`,
      )}</ul></details>`
    : ''
}
${plan.problems.length === 0 && plan.rows.length > 0 && !fits ? html`<p class="notice error" role="alert">${ct(lang, 'customers.import.tooLargeApply')}</p>` : ''}
${
  canApply
    ? html`<form method="post" action="/console/customers/import/apply" enctype="multipart/form-data" class="apply">
${csrfField(c.get('session').csrfToken)}
<input type="hidden" name="name" value="${name}">
<input type="hidden" name="plan" value="${digest}">
<input type="hidden" name="payload" value="${payload}">
<input type="hidden" name="seal" value="${seal(c, { payload, plan: digest, name })}">
<p><button type="submit">${ct(lang, 'customers.import.apply')}</button></p>
</form>`
    : ''
}`;
    return c.html(
      page({ lang, title: ct(lang, 'customers.import.previewTitle'), viewer: viewerOf(c), current: '/console/customers', body }),
      drifted ? 409 : 200,
    );
  };

  app.get('/customers/import', requireRole('admin'), (c) => {
    const lang = c.get('lang');
    const done = ['created', 'updated', 'unchanged'].map((k) => Number.parseInt(c.req.query(k) ?? '', 10));
    const notice = done.every((n) => Number.isInteger(n) && n >= 0)
      ? html`<p class="notice" role="status">${ct(lang, 'customers.import.done', { created: done[0] as number, updated: done[1] as number, unchanged: done[2] as number })}</p>`
      : '';
    return uploadPage(c, notice);
  });

  app.post('/customers/import', requireRole('admin'), async (c) => {
    const lang = c.get('lang');
    const body = await c.req.parseBody().catch(() => null);
    const file = body?.file;
    if (!(file instanceof File) || file.size === 0) return uploadPage(c, errorNotice(ct(lang, 'customers.import.noFile')), 400);
    if (file.size > maxBytes) return uploadPage(c, errorNotice(ct(lang, 'customers.import.tooLargeFile', { size: sizeText(maxBytes, lang) })), 413);
    const text = Buffer.from(await file.arrayBuffer()).toString('utf8');
    return preview(c, text, file.name.slice(0, 200));
  });

  app.post('/customers/import/apply', requireRole('admin'), async (c) => {
    const lang = c.get('lang');
    const form = await formOf(c);
    const fields = { payload: form.payload ?? '', plan: form.plan ?? '', name: form.name ?? '' };
    const text = sameToken(form.seal, seal(c, fields)) ? unpack(fields.payload, maxBytes) : null;
    if (text === null) return uploadPage(c, errorNotice(ct(lang, 'customers.import.tampered')), 400);
    // The database may have changed since the preview: then the new preview is confirmed first.
    const plan = await planCustomersImport(d.prisma, text, opts()).catch(() => null);
    if (!plan || plan.problems.length || planDigest(plan) !== fields.plan) return preview(c, text, fields.name, true);
    let counts: { created: number; updated: number; unchanged: number };
    try {
      // What `linka customers import` does with the file.
      counts = await importCustomers(d.prisma, parseCustomersCsv(text, opts()));
    } catch (err) {
      if (!(err instanceof LinkaError) || err.code !== 'csv_invalid') throw err;
      return preview(c, text, fields.name, true);
    }
    const done = new URLSearchParams({ created: String(counts.created), updated: String(counts.updated), unchanged: String(counts.unchanged) });
    return c.redirect(`/console/customers/import?${done.toString()}`, 303);
  });
}
