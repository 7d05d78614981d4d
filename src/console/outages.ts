/**
 * Outages in the console (docs/console.md, "Outages and maintenance"): the list of outages in
 * progress and lately resolved and of planned maintenance, for every role; declaring an outage
 * (a preview of who would be told first), updating and resolving it, for admins, through the
 * same outages service the CLI, the API and Slack use (src/services/outages.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { localTime } from '../domain/date-format.js';
import { OUTAGE_STATUSES } from '../domain/outages.js';
import { LinkaError } from '../errors.js';
import type { Maintenances } from '../services/maintenance.js';
import type { OutagePatch, OutageRow, Outages } from '../services/outages.js';
import type { Lang } from '../shared/lang.js';
import { knownAreas, outageById, outageCustomerNoticeCounts, recentlyResolvedOutages } from '../store/console-outages.js';
import { type AuthSettings, type ConsoleEnv, type Ctx, formOf, hasRole, requireRole } from './auth.js';
import { csrfField, type Markup, messagePage, page } from './layout.js';
import { maintenanceTable } from './maintenance.js';
import {
  actorOf,
  areasFieldset,
  doneNotice,
  areasOf,
  hiddenNoticeFields,
  listOf,
  MAX_TEXT,
  MAX_TITLE,
  type NoticeValues,
  noticeProblems,
  parseWhen,
  problemsAlert,
  serviceLabel,
  servicesFieldset,
  servicesOf,
  textsFields,
  textsOf,
  whenValue,
} from './notice-form.js';
import { ct, type ConsoleTextKey } from './texts.js';
import { viewerOf } from './tickets.js';

export interface OutagePagesDeps extends AuthSettings {
  outages: Outages;
  maintenance: Maintenances;
  timezone: string;
  /** The customer channels that are on: nobody can be told when there is none. */
  customerChannels: readonly string[];
}

/** How far back the list shows resolved outages. */
export const RECENT_DAYS = 14;
/** The statuses an outage can be set to by an update (resolved has its own button). */
const OPEN_STATUSES = OUTAGE_STATUSES.filter((s) => s !== 'resolved');
/** What the page says after an action (`?done=`): a fixed list, so a link cannot make the console say anything else. */
const DONE = ['declared', 'already', 'updated', 'unchanged', 'resolved', 'alreadyResolved'] as const;

export const statusLabel = (lang: Lang, status: string) =>
  (OUTAGE_STATUSES as readonly string[]).includes(status) ? ct(lang, `outages.status.${status}` as ConsoleTextKey) : status;

const sameTexts = (a: unknown, b: Partial<Record<Lang, string>>) => {
  const before = (a ?? {}) as Record<string, string>;
  const keys = new Set([...Object.keys(before), ...Object.keys(b)]);
  return [...keys].every((k) => before[k] === (b as Record<string, string>)[k]);
};

function outageTable(lang: Lang, rows: readonly OutageRow[], counts: Map<string, number>, tz: string, caption: string): Markup {
  return html`<div class="table-wrap"><table>
<caption class="visually-hidden">${caption}</caption>
<thead><tr><th scope="col">${ct(lang, 'outages.title')}</th><th scope="col">${ct(lang, 'outages.areas')}</th><th scope="col">${ct(lang, 'outages.services')}</th><th scope="col">${ct(lang, 'outages.status')}</th><th scope="col">${ct(lang, 'outages.started')}</th><th scope="col">${ct(lang, 'outages.eta')}</th><th scope="col">${ct(lang, 'outages.notices')}</th></tr></thead>
<tbody>${rows.map(
    (o) => html`<tr>
<td><a href="/console/outages/${encodeURIComponent(o.id)}">${o.title || ct(lang, 'outages.untitled')}</a></td>
<td>${listOf(o.areas).join(', ')}</td>
<td>${listOf(o.services)
      .map((s) => serviceLabel(lang, s))
      .join(', ')}</td>
<td>${statusLabel(lang, o.status)}${o.resolvedAt ? ` · ${localTime(o.resolvedAt, tz, lang)}` : ''}</td>
<td>${localTime(o.startedAt, tz, lang)}</td>
<td>${o.estimatedEndAt ? localTime(o.estimatedEndAt, tz, lang) : '–'}</td>
<td>${counts.get(o.id) ?? 0}</td>
</tr>`,
  )}</tbody></table></div>`;
}

interface DeclareForm {
  values: NoticeValues;
  eta: string;
  problems: string[];
}

/** Reads the declare form (and the preview's hidden copy of it); `eta` is the instant when it was readable. */
function readDeclare(lang: Lang, form: Record<string, string>, tz: string, now: Date): DeclareForm & { etaAt: Date | null } {
  const values: NoticeValues = { title: (form.title ?? '').trim(), areas: areasOf(form), services: servicesOf(form), texts: textsOf(form) };
  const eta = (form.eta ?? '').trim();
  const problems = noticeProblems(lang, values, { title: true });
  let etaAt: Date | null = null;
  if (eta) {
    etaAt = parseWhen(eta, tz);
    if (!etaAt) problems.push(ct(lang, 'outages.error.badEta', { value: eta.slice(0, 40) }));
    else if (etaAt.getTime() <= now.getTime()) problems.push(ct(lang, 'outages.error.pastEta'));
  }
  return { values, eta, problems, etaAt };
}

export function outagePages(app: Hono<ConsoleEnv>, d: OutagePagesDeps): void {
  const tz = d.timezone;

  app.get('/outages', async (c) => {
    const lang = c.get('lang');
    const admin = hasRole(c.get('user'), 'admin');
    const now = d.clock();
    const allMaintenance = c.req.query('maintenance') === 'all';
    const [active, recent, planned] = await Promise.all([
      d.outages.active(),
      recentlyResolvedOutages(d.prisma, new Date(now.getTime() - RECENT_DAYS * 86_400_000)),
      d.maintenance.list({ all: allMaintenance }),
    ]);
    const counts = await outageCustomerNoticeCounts(
      d.prisma,
      [...active, ...recent].map((o) => o.id),
    );
    const body = html`${
      admin
        ? html`<p class="links"><a class="button" href="/console/outages/new">${ct(lang, 'outages.declare')}</a> <a class="button" href="/console/maintenance/new">${ct(lang, 'maintenance.plan')}</a></p>`
        : ''
    }
<h2>${ct(lang, 'outages.active')}</h2>
${active.length ? outageTable(lang, active, counts, tz, ct(lang, 'outages.active')) : html`<p>${ct(lang, 'outages.noneActive')}</p>`}
<h2>${ct(lang, 'outages.recent', { days: RECENT_DAYS })}</h2>
${recent.length ? outageTable(lang, recent, counts, tz, ct(lang, 'outages.recent', { days: RECENT_DAYS })) : html`<p>${ct(lang, 'outages.noneRecent')}</p>`}
<h2>${ct(lang, allMaintenance ? 'maintenance.all' : 'maintenance.planned')}</h2>
${planned.length ? maintenanceTable(lang, planned, tz, now) : html`<p>${ct(lang, allMaintenance ? 'maintenance.none' : 'maintenance.nonePlanned')}</p>`}
<p><a href="${allMaintenance ? '/console/outages' : '/console/outages?maintenance=all'}">${ct(lang, allMaintenance ? 'maintenance.showPlanned' : 'maintenance.showAll')}</a></p>`;
    return c.html(page({ lang, title: ct(lang, 'outages.pageTitle'), viewer: viewerOf(c), current: '/console/outages', body }));
  });

  /** The declare page: the form, with the preview above it once there is one. */
  async function declarePage(c: Ctx, f: DeclareForm, preview?: Markup) {
    const lang = c.get('lang');
    const csrf = c.get('session').csrfToken;
    const known = await knownAreas(d.prisma);
    const body = html`<p><a href="/console/outages">${ct(lang, 'outages.back')}</a></p>
${problemsAlert(f.problems)}
${preview ?? ''}
${preview ? html`<h2>${ct(lang, 'outages.edit')}</h2>` : ''}
<form method="post" action="/console/outages/preview" class="stack">${csrfField(csrf)}
<label for="o-title">${ct(lang, 'outages.titleField')}</label>
<input type="text" id="o-title" name="title" maxlength="${MAX_TITLE}" value="${f.values.title}">
${areasFieldset(lang, known, f.values.areas, 'o')}
${servicesFieldset(lang, f.values.services, 'o')}
<label for="o-eta">${ct(lang, 'outages.etaField')}</label>
<input type="datetime-local" id="o-eta" name="eta" value="${f.eta}" aria-describedby="o-eta-hint">
<p class="hint" id="o-eta-hint">${ct(lang, 'outages.etaHint', { zone: tz })}</p>
${textsFields(lang, f.values.texts, 'o', 'outages.textsHint')}
<p><button type="submit">${ct(lang, 'outages.preview')}</button></p>
</form>`;
    return page({ lang, title: ct(lang, 'outages.declare'), viewer: viewerOf(c), current: '/console/outages', body });
  }

  app.get('/outages/new', requireRole('admin'), async (c) =>
    c.html(await declarePage(c, { values: { title: '', areas: [], services: ['internet'], texts: {} }, eta: '', problems: [] })),
  );

  app.post('/outages/preview', requireRole('admin'), async (c) => {
    const lang = c.get('lang');
    const f = readDeclare(lang, await formOf(c), tz, d.clock());
    if (f.problems.length) return c.html(await declarePage(c, f), 400);
    const p = await d.outages.preview({
      title: f.values.title,
      areas: f.values.areas,
      services: f.values.services,
      estimatedEndAt: f.etaAt,
      texts: f.values.texts,
    });
    const line = ct(lang, 'outages.previewLine', {
      customers: p.customers,
      telegram: p.byChannel.telegram ?? 0,
      sms: p.byChannel.sms ?? 0,
      segments: p.smsSegments,
    });
    const preview = html`<section class="preview" aria-labelledby="pv-h">
<h2 id="pv-h">${ct(lang, 'outages.previewTitle')}</h2>
<p class="preview-line" role="status">${line}</p>
${d.customerChannels.length === 0 ? html`<p class="notice error">${ct(lang, 'outages.noChannels')}</p>` : ''}
<dl class="facts">
<dt>${ct(lang, 'outages.title')}</dt><dd>${f.values.title || ct(lang, 'outages.untitled')}</dd>
<dt>${ct(lang, 'outages.areas')}</dt><dd>${f.values.areas.join(', ')}</dd>
<dt>${ct(lang, 'outages.services')}</dt><dd>${f.values.services.map((s) => serviceLabel(lang, s)).join(', ')}</dd>
<dt>${ct(lang, 'outages.eta')}</dt><dd>${f.etaAt ? localTime(f.etaAt, tz, lang) : '–'}</dd>
${(['cs', 'sk', 'en'] as const).map((l) => (f.values.texts[l] ? html`<dt>${ct(lang, `outages.text.${l}` as ConsoleTextKey)}</dt><dd class="text">${f.values.texts[l]}</dd>` : ''))}
</dl>
<form method="post" action="/console/outages">${csrfField(c.get('session').csrfToken)}
${hiddenNoticeFields(f.values)}<input type="hidden" name="eta" value="${f.eta}"><input type="hidden" name="draft" value="console:${randomUUID()}">
<p><button type="submit">${ct(lang, 'outages.declareSend')}</button></p>
</form>
</section>`;
    return c.html(await declarePage(c, f, preview));
  });

  app.post('/outages', requireRole('admin'), async (c) => {
    const lang = c.get('lang');
    const form = await formOf(c);
    const f = readDeclare(lang, form, tz, d.clock());
    if (f.problems.length) return c.html(await declarePage(c, f), 400);
    // The preview's one-time key: the same form sent twice (a double click, a reload) declares one outage.
    const key = /^console:[0-9a-f-]{36}$/.test(form.draft ?? '') ? (form.draft as string) : null;
    const r = await d.outages.declare({
      key,
      title: f.values.title,
      areas: f.values.areas,
      services: f.values.services,
      estimatedEndAt: f.etaAt,
      texts: Object.keys(f.values.texts).length ? f.values.texts : null,
      source: 'console',
      actor: actorOf(c.get('user')),
    });
    return c.redirect(`/console/outages/${encodeURIComponent(r.outage.id)}?done=${r.changed ? 'declared' : 'already'}`, 303);
  });

  async function detailPage(
    c: Ctx,
    o: OutageRow,
    form?: { status: string; eta: string; title: string; texts: Partial<Record<Lang, string>>; problems: string[] },
  ) {
    const lang = c.get('lang');
    const admin = hasRole(c.get('user'), 'admin');
    const counts = await outageCustomerNoticeCounts(d.prisma, [o.id]);
    const texts = (o.texts ?? {}) as Partial<Record<Lang, string>>;
    const v = form ?? { status: o.status, eta: whenValue(o.estimatedEndAt, tz), title: o.title, texts, problems: [] };
    const csrf = c.get('session').csrfToken;
    const open = o.status !== 'resolved';
    const body = html`<p><a href="/console/outages">${ct(lang, 'outages.back')}</a></p>
${doneNotice(c, lang, DONE, 'outages')}
${problemsAlert(v.problems)}
<dl class="facts">
<dt>${ct(lang, 'outages.status')}</dt><dd>${statusLabel(lang, o.status)}</dd>
<dt>${ct(lang, 'outages.areas')}</dt><dd>${listOf(o.areas).join(', ')}</dd>
<dt>${ct(lang, 'outages.services')}</dt><dd>${listOf(o.services)
      .map((s) => serviceLabel(lang, s))
      .join(', ')}</dd>
<dt>${ct(lang, 'outages.started')}</dt><dd>${localTime(o.startedAt, tz, lang)}</dd>
<dt>${ct(lang, 'outages.eta')}</dt><dd>${o.estimatedEndAt ? localTime(o.estimatedEndAt, tz, lang) : '–'}</dd>
${o.resolvedAt ? html`<dt>${ct(lang, 'outages.resolvedAt')}</dt><dd>${localTime(o.resolvedAt, tz, lang)}</dd>` : ''}
<dt>${ct(lang, 'outages.notices')}</dt><dd>${counts.get(o.id) ?? 0}</dd>
<dt>${ct(lang, 'outages.source')}</dt><dd>${o.source} · ${o.createdBy}</dd>
${(['cs', 'sk', 'en'] as const).map((l) => (texts[l] ? html`<dt>${ct(lang, `outages.text.${l}` as ConsoleTextKey)}</dt><dd class="text">${texts[l]}</dd>` : ''))}
</dl>
${
  admin && open
    ? html`<h2>${ct(lang, 'outages.update')}</h2>
<form method="post" action="/console/outages/${encodeURIComponent(o.id)}/update" class="stack">${csrfField(csrf)}
<label for="u-status">${ct(lang, 'outages.status')}</label>
<select id="u-status" name="status">${OPEN_STATUSES.map((s) => html`<option value="${s}"${s === v.status ? html` selected` : ''}>${statusLabel(lang, s)}</option>`)}</select>
<label for="u-eta">${ct(lang, 'outages.etaField')}</label>
<input type="datetime-local" id="u-eta" name="eta" value="${v.eta}" aria-describedby="u-eta-hint">
<p class="hint" id="u-eta-hint">${ct(lang, 'outages.etaUpdateHint', { zone: tz })}</p>
<label for="u-title">${ct(lang, 'outages.titleField')}</label>
<input type="text" id="u-title" name="title" maxlength="${MAX_TITLE}" value="${v.title}">
${textsFields(lang, v.texts, 'u', 'outages.updateTextsHint')}
<p><button type="submit">${ct(lang, 'outages.updateSend')}</button></p>
</form>
<h2>${ct(lang, 'outages.resolve')}</h2>
<form method="post" action="/console/outages/${encodeURIComponent(o.id)}/resolve">${csrfField(csrf)}
<p>${ct(lang, 'outages.resolveHint')}</p>
<p><button type="submit">${ct(lang, 'outages.resolveSend')}</button></p>
</form>`
    : ''
}`;
    return page({ lang, title: o.title || ct(lang, 'outages.untitled'), viewer: viewerOf(c), current: '/console/outages', body });
  }

  const notFound = (c: Ctx) => {
    const lang = c.get('lang');
    return c.html(messagePage(lang, ct(lang, 'error.notFound.title'), ct(lang, 'outages.notFound'), viewerOf(c)), 404);
  };

  app.get('/outages/:id', async (c) => {
    const o = await outageById(d.prisma, c.req.param('id'));
    return o ? c.html(await detailPage(c, o)) : notFound(c);
  });

  app.post('/outages/:id/update', requireRole('admin'), async (c) => {
    const lang = c.get('lang');
    const o = await outageById(d.prisma, c.req.param('id'));
    if (!o) return notFound(c);
    const to = `/console/outages/${encodeURIComponent(o.id)}`;
    if (o.status === 'resolved') return c.redirect(`${to}?done=alreadyResolved`, 303);
    const form = await formOf(c);
    const status = (form.status ?? '').trim();
    const eta = (form.eta ?? '').trim();
    const title = (form.title ?? '').trim();
    const texts = textsOf(form);
    const problems: string[] = [];
    if (!(OPEN_STATUSES as readonly string[]).includes(status)) problems.push(ct(lang, 'outages.error.badStatus'));
    if (title.length > MAX_TITLE) problems.push(ct(lang, 'outages.error.titleTooLong', { max: MAX_TITLE }));
    if (Object.values(texts).some((t) => (t ?? '').length > MAX_TEXT)) problems.push(ct(lang, 'outages.error.textTooLong', { max: MAX_TEXT }));
    let etaAt: Date | null = null;
    if (eta) {
      etaAt = parseWhen(eta, tz);
      if (!etaAt) problems.push(ct(lang, 'outages.error.badEta', { value: eta.slice(0, 40) }));
      // The field shows the estimate to the minute: the same minute is the estimate as it was.
      else if (o.estimatedEndAt && Math.floor(o.estimatedEndAt.getTime() / 60_000) * 60_000 === etaAt.getTime()) etaAt = o.estimatedEndAt;
      else if (etaAt.getTime() <= d.clock().getTime()) problems.push(ct(lang, 'outages.error.pastEta'));
    }
    if (problems.length) return c.html(await detailPage(c, o, { status, eta, title, texts, problems }), 400);
    const patch: OutagePatch = {
      status: status as OutagePatch['status'],
      estimatedEndAt: etaAt,
      title,
      // Only texts given, and only when they differ (the stored ones may come back in another key order).
      ...(Object.keys(texts).length && !sameTexts(o.texts, texts) ? { texts } : {}),
    };
    try {
      const r = await d.outages.update(o.id, patch);
      return c.redirect(`${to}?done=${r.changed ? 'updated' : 'unchanged'}`, 303);
    } catch (err) {
      if (err instanceof LinkaError && err.code === 'outage_resolved') return c.redirect(`${to}?done=alreadyResolved`, 303);
      throw err;
    }
  });

  app.post('/outages/:id/resolve', requireRole('admin'), async (c) => {
    const o = await outageById(d.prisma, c.req.param('id'));
    if (!o) return notFound(c);
    const r = await d.outages.resolve(o.id, actorOf(c.get('user')));
    return c.redirect(`/console/outages/${encodeURIComponent(o.id)}?done=${r.changed ? 'resolved' : 'alreadyResolved'}`, 303);
  });
}
