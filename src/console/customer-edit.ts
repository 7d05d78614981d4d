/**
 * Editing a customer (admins only): the form has the CSV import's columns, and what is sent is
 * checked by the import's own code (src/import/customers-csv.ts: checkCustomerRecord, then the
 * database's conflicts) and saved by it (importCustomers with the one row), so the console and
 * `linka customers import` can never disagree. A problem is shown beside its field; nothing is
 * saved while there is one.
 */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { LinkaConfig } from '../config/schema.js';
import { NOTICE_CHANNELS } from '../domain/notice-channel.js';
import { formatPhone } from '../domain/phone.js';
import { LinkaError } from '../errors.js';
import { checkCustomerRecord, type CsvColumn, databaseConflicts, importCustomers, importOptionsOf, type RowProblem } from '../import/customers-csv.js';
import type { Lang } from '../shared/lang.js';
import { type AuthSettings, type ConsoleEnv, type Ctx, formOf, requireRole } from './auth.js';
import { csrfField, messagePage, page } from './layout.js';
import { customerByKey } from './customers.js';
import { ct, type ConsoleTextKey } from './texts.js';
import { viewerOf } from './tickets.js';

export interface CustomerEditDeps extends AuthSettings {
  config: LinkaConfig;
}

/** The form's fields: the import's columns but the contract number, which names the customer. */
const FIELDS = [
  'name',
  'phones',
  'language',
  'tier',
  'area',
  'access_point',
  'address',
  'email',
  'notice_channel',
  'telegram_id',
  'plan_start',
  'plan_end',
] as const;
type Field = (typeof FIELDS)[number];
const MAX_LENGTH: Record<Field, number> = {
  name: 200,
  phones: 500,
  language: 2,
  tier: 30,
  area: 200,
  access_point: 200,
  address: 500,
  email: 254,
  notice_channel: 10,
  telegram_id: 20,
  plan_start: 20,
  plan_end: 20,
};

/** A column's name for people. */
export const fieldLabel = (lang: Lang, column: CsvColumn | string) => ct(lang, `customers.field.${column}` as ConsoleTextKey);

/** A problem of the import in the operator's language. */
export function problemText(lang: Lang, p: RowProblem): string {
  return ct(lang, `customers.problem.${p.code}` as ConsoleTextKey, p.params);
}

type Values = Record<Field, string>;

function formBody(lang: Lang, d: CustomerEditDeps, c: Ctx, customer: { id: string; contractNumber: string }, values: Values, problems: RowProblem[]) {
  const tiers = Object.keys(d.config.tiers);
  const tierChoices = [
    ...(tiers.includes('none') ? [] : [{ value: '', label: ct(lang, 'customers.edit.tierDefault') }]),
    ...tiers.map((t) => ({ value: t, label: t })),
  ];
  if (values.tier && !tierChoices.some((t) => t.value === values.tier)) tierChoices.push({ value: values.tier, label: values.tier });
  const byField = new Map<string, string[]>();
  const general: string[] = [];
  for (const p of problems) {
    const field = p.column && (FIELDS as readonly string[]).includes(p.column) ? p.column : null;
    if (field) byField.set(field, [...(byField.get(field) ?? []), problemText(lang, p)]);
    else general.push(problemText(lang, p));
  }
  const described = (f: Field, hint?: boolean) => {
    const ids = [...(hint ? [`h-${f}`] : []), ...(byField.has(f) ? [`e-${f}`] : [])];
    return html`${ids.length ? html` aria-describedby="${ids.join(' ')}"` : ''}${byField.has(f) ? html` aria-invalid="true"` : ''}`;
  };
  const errorOf = (f: Field) => (byField.has(f) ? html`<p class="field-error" id="e-${f}">${(byField.get(f) ?? []).join(' ')}</p>` : '');
  const text = (f: Field, type = 'text', hint?: string) =>
    html`<div class="field${byField.has(f) ? ' invalid' : ''}"><label for="f-${f}">${fieldLabel(lang, f)}</label>${hint ? html`<p class="hint" id="h-${f}">${hint}</p>` : ''}<input type="${type}" id="f-${f}" name="${f}" value="${values[f]}" maxlength="${MAX_LENGTH[f]}"${f === 'name' ? html` required` : ''}${described(f, Boolean(hint))}>${errorOf(f)}</div>`;
  const select = (f: Field, choices: Array<{ value: string; label: string }>) =>
    html`<div class="field${byField.has(f) ? ' invalid' : ''}"><label for="f-${f}">${fieldLabel(lang, f)}</label><select id="f-${f}" name="${f}"${described(f)}>${choices.map(
      (o) => html`<option value="${o.value}"${o.value === values[f] ? html` selected` : ''}>${o.label}</option>`,
    )}</select>${errorOf(f)}</div>`;
  return html`<p><a href="/console/customers/${encodeURIComponent(customer.id)}">${ct(lang, 'customers.edit.cancel')}</a></p>
<p>${ct(lang, 'customers.edit.intro')}</p>
${problems.length ? html`<div class="notice error" role="alert"><p>${ct(lang, 'customers.edit.errors', { count: problems.length })}</p>${general.length ? html`<ul>${general.map((g) => html`<li>${g}</li>`)}</ul>` : ''}</div>` : ''}
<form method="post" action="/console/customers/${encodeURIComponent(customer.id)}/edit" class="edit" novalidate>
${csrfField(c.get('session').csrfToken)}
<dl class="facts"><dt>${fieldLabel(lang, 'contract_number')}</dt><dd>${customer.contractNumber}</dd></dl>
${text('name')}
${text('phones', 'text', ct(lang, 'customers.edit.phonesHint'))}
${select(
  'language',
  ['cs', 'sk', 'en'].map((l) => ({ value: l, label: `${ct(lang, `customers.lang.${l}` as ConsoleTextKey)} (${l})` })),
)}
${select('tier', tierChoices)}
${text('area')}
${text('access_point')}
${text('address')}
${text('email', 'email')}
${select(
  'notice_channel',
  ['', ...NOTICE_CHANNELS].map((v) => ({ value: v, label: ct(lang, `customers.noticeChannel.${v || 'none'}` as ConsoleTextKey) })),
)}
${text('telegram_id')}
${text('plan_start', 'date')}
${text('plan_end', 'date')}
<p><button type="submit">${ct(lang, 'customers.edit.save')}</button></p>
</form>`;
}

export function customerEdit(app: Hono<ConsoleEnv>, d: CustomerEditDeps): void {
  const notFound = (c: Ctx) => {
    const lang = c.get('lang');
    return c.html(messagePage(lang, ct(lang, 'error.notFound.title'), ct(lang, 'error.notFound'), viewerOf(c)), 404);
  };

  app.get('/customers/:id/edit', requireRole('admin'), async (c) => {
    const lang = c.get('lang');
    const customer = await customerByKey(d, c.req.param('id'));
    if (!customer) return notFound(c);
    const tiers = Object.keys(d.config.tiers);
    const values: Values = {
      name: customer.name,
      phones: customer.phones.map((p) => formatPhone(p.e164)).join(', '),
      language: customer.language,
      tier: customer.tier === 'none' && !tiers.includes('none') ? '' : customer.tier,
      area: customer.area ?? '',
      access_point: customer.accessPoint ?? '',
      address: customer.address ?? '',
      email: customer.email ?? '',
      notice_channel: customer.noticeChannel ?? '',
      telegram_id: customer.telegramId ?? '',
      plan_start: customer.planStart ?? '',
      plan_end: customer.planEnd ?? '',
    };
    const body = formBody(lang, d, c, customer, values, []);
    return c.html(page({ lang, title: `${ct(lang, 'customers.edit.title')}: ${customer.name}`, viewer: viewerOf(c), current: '/console/customers', body }));
  });

  app.post('/customers/:id/edit', requireRole('admin'), async (c) => {
    const lang = c.get('lang');
    const customer = await customerByKey(d, c.req.param('id'));
    if (!customer) return notFound(c);
    const form = await formOf(c);
    const values = Object.fromEntries(FIELDS.map((f) => [f, form[f] ?? ''])) as Values;
    const opts = importOptionsOf(d.config);
    const checked = checkCustomerRecord({ contract_number: customer.contractNumber, ...values }, opts);
    const problems = checked.row ? (await databaseConflicts(d.prisma, [checked.row])).problems : checked.problems;
    const title = `${ct(lang, 'customers.edit.title')}: ${customer.name}`;
    const again = (found: RowProblem[], status: 400 | 409) =>
      c.html(page({ lang, title, viewer: viewerOf(c), current: '/console/customers', body: formBody(lang, d, c, customer, values, found) }), status);
    if (!checked.row || problems.length) return again(problems, 400);
    let changed: boolean;
    try {
      const counts = await importCustomers(d.prisma, [checked.row]);
      changed = counts.updated > 0 || counts.created > 0;
    } catch (err) {
      // Another import or edit took the phone or Telegram id between the check and the save.
      if (!(err instanceof LinkaError) || err.code !== 'csv_invalid') throw err;
      const found = (await databaseConflicts(d.prisma, [checked.row])).problems;
      return found.length
        ? again(found, 409)
        : c.html(messagePage(lang, ct(lang, 'customers.edit.title'), ct(lang, 'customers.edit.conflict'), viewerOf(c)), 409);
    }
    return c.redirect(`/console/customers/${encodeURIComponent(customer.id)}?saved=${changed ? '1' : '0'}`, 303);
  });
}
