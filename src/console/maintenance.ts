/**
 * Planned maintenance in the console (docs/console.md, "Outages and maintenance"): one
 * maintenance for every role; planning, moving and cancelling it for admins, as
 * `linka maintenance schedule|reschedule|cancel` do, through the same service
 * (src/services/maintenance.ts): the team is told at once, customers at the lead times.
 */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { localTime } from '../domain/date-format.js';
import { LinkaError } from '../errors.js';
import type { Maintenances, MaintenanceRow } from '../services/maintenance.js';
import type { Lang } from '../shared/lang.js';
import { knownAreas } from '../store/console-outages.js';
import { maintenanceToldCounts } from '../store/maintenance.js';
import { type AuthSettings, type ConsoleEnv, type Ctx, formOf, hasRole, requireRole } from './auth.js';
import { csrfField, type Markup, messagePage, page } from './layout.js';
import {
  actorOf,
  areasFieldset,
  areasOf,
  doneNotice,
  listOf,
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

export interface MaintenancePagesDeps extends AuthSettings {
  maintenance: Maintenances;
  timezone: string;
}

const DONE = ['planned', 'rescheduled', 'unchanged', 'cancelled'] as const;

const statusLabel = (lang: Lang, m: MaintenanceRow, now: Date) =>
  ct(
    lang,
    m.status === 'cancelled'
      ? 'maintenance.status.cancelled'
      : m.endsAt.getTime() <= now.getTime()
        ? 'maintenance.status.over'
        : 'maintenance.status.scheduled',
  );

/** The maintenance table of the outages page. */
export function maintenanceTable(lang: Lang, rows: ReadonlyArray<MaintenanceRow & { told: number }>, tz: string, now: Date): Markup {
  return html`<div class="table-wrap"><table>
<caption class="visually-hidden">${ct(lang, 'maintenance.planned')}</caption>
<thead><tr><th scope="col">${ct(lang, 'maintenance.number')}</th><th scope="col">${ct(lang, 'maintenance.start')}</th><th scope="col">${ct(lang, 'maintenance.end')}</th><th scope="col">${ct(lang, 'outages.areas')}</th><th scope="col">${ct(lang, 'outages.services')}</th><th scope="col">${ct(lang, 'outages.status')}</th><th scope="col">${ct(lang, 'maintenance.told')}</th></tr></thead>
<tbody>${rows.map(
    (m) => html`<tr>
<td><a href="/console/maintenance/${m.id}">#${m.id}</a></td>
<td>${localTime(m.startsAt, tz, lang)}</td>
<td>${localTime(m.endsAt, tz, lang)}</td>
<td>${listOf(m.areas).join(', ')}</td>
<td>${listOf(m.services)
      .map((s) => serviceLabel(lang, s))
      .join(', ')}</td>
<td>${statusLabel(lang, m, now)}</td>
<td>${m.told}</td>
</tr>`,
  )}</tbody></table></div>`;
}

interface PlanForm {
  values: NoticeValues;
  start: string;
  end: string;
  problems: string[];
}

/** Reads a start and an end; the mistakes in the operator's language. */
function readTimes(lang: Lang, form: Record<string, string>, tz: string, now: Date, opts: { mustStartAhead: boolean }) {
  const start = (form.start ?? '').trim();
  const end = (form.end ?? '').trim();
  const problems: string[] = [];
  const startsAt = start ? parseWhen(start, tz) : null;
  const endsAt = end ? parseWhen(end, tz) : null;
  if (!start) problems.push(ct(lang, 'maintenance.error.noStart'));
  else if (!startsAt) problems.push(ct(lang, 'maintenance.error.badTime', { value: start.slice(0, 40) }));
  if (!end) problems.push(ct(lang, 'maintenance.error.noEnd'));
  else if (!endsAt) problems.push(ct(lang, 'maintenance.error.badTime', { value: end.slice(0, 40) }));
  if (startsAt && endsAt) {
    if (endsAt.getTime() <= startsAt.getTime()) problems.push(ct(lang, 'maintenance.error.endBeforeStart'));
    else if (opts.mustStartAhead && startsAt.getTime() <= now.getTime()) problems.push(ct(lang, 'maintenance.error.startPast'));
    else if (endsAt.getTime() <= now.getTime()) problems.push(ct(lang, 'maintenance.error.endPast'));
  }
  return { start, end, startsAt, endsAt, problems };
}

/** The service's refusals, in the operator's language. */
function refusal(lang: Lang, err: unknown): string | null {
  if (!(err instanceof LinkaError)) return null;
  if (err.code === 'maintenance_cancelled') return ct(lang, 'maintenance.error.cancelled');
  if (err.code === 'maintenance_over') return ct(lang, 'maintenance.error.over');
  if (err.code === 'maintenance_invalid') return ct(lang, 'maintenance.error.invalid');
  return null;
}

export function maintenancePages(app: Hono<ConsoleEnv>, d: MaintenancePagesDeps): void {
  const tz = d.timezone;

  async function planPage(c: Ctx, f: PlanForm) {
    const lang = c.get('lang');
    const known = await knownAreas(d.prisma);
    const body = html`<p><a href="/console/outages">${ct(lang, 'outages.back')}</a></p>
${problemsAlert(f.problems)}
<p>${ct(lang, 'maintenance.planHint')}</p>
<form method="post" action="/console/maintenance" class="stack">${csrfField(c.get('session').csrfToken)}
${areasFieldset(lang, known, f.values.areas, 'm')}
${servicesFieldset(lang, f.values.services, 'm')}
<label for="m-start">${ct(lang, 'maintenance.start')}</label>
<input type="datetime-local" id="m-start" name="start" value="${f.start}" required aria-describedby="m-zone">
<label for="m-end">${ct(lang, 'maintenance.end')}</label>
<input type="datetime-local" id="m-end" name="end" value="${f.end}" required aria-describedby="m-zone">
<p class="hint" id="m-zone">${ct(lang, 'maintenance.zoneHint', { zone: tz })}</p>
${textsFields(lang, f.values.texts, 'm', 'maintenance.textsHint')}
<p><button type="submit">${ct(lang, 'maintenance.planSend')}</button></p>
</form>`;
    return page({ lang, title: ct(lang, 'maintenance.plan'), viewer: viewerOf(c), current: '/console/outages', body });
  }

  app.get('/maintenance/new', requireRole('admin'), async (c) =>
    c.html(await planPage(c, { values: { title: '', areas: [], services: ['internet'], texts: {} }, start: '', end: '', problems: [] })),
  );

  app.post('/maintenance', requireRole('admin'), async (c) => {
    const lang = c.get('lang');
    const form = await formOf(c);
    const values: NoticeValues = { title: '', areas: areasOf(form), services: servicesOf(form), texts: textsOf(form) };
    const times = readTimes(lang, form, tz, d.clock(), { mustStartAhead: true });
    const f: PlanForm = { values, start: times.start, end: times.end, problems: [...noticeProblems(lang, values), ...times.problems] };
    if (f.problems.length || !times.startsAt || !times.endsAt) return c.html(await planPage(c, f), 400);
    try {
      const m = await d.maintenance.schedule({
        areas: values.areas,
        services: values.services,
        startsAt: times.startsAt,
        endsAt: times.endsAt,
        texts: values.texts,
        actor: actorOf(c.get('user')),
      });
      return c.redirect(`/console/maintenance/${m.id}?done=planned`, 303);
    } catch (err) {
      const why = refusal(lang, err);
      if (!why) throw err;
      return c.html(await planPage(c, { ...f, problems: [why] }), 400);
    }
  });

  async function detailPage(c: Ctx, m: MaintenanceRow, form?: { start: string; end: string; problems: string[] }) {
    const lang = c.get('lang');
    const now = d.clock();
    const told = (await maintenanceToldCounts(d.prisma, [m.id])).get(m.id) ?? 0;
    const texts = (m.texts ?? {}) as Partial<Record<Lang, string>>;
    const v = form ?? { start: whenValue(m.startsAt, tz), end: whenValue(m.endsAt, tz), problems: [] };
    const csrf = c.get('session').csrfToken;
    const changeable = hasRole(c.get('user'), 'admin') && m.status !== 'cancelled' && m.endsAt.getTime() > now.getTime();
    const body = html`<p><a href="/console/outages">${ct(lang, 'outages.back')}</a></p>
${doneNotice(c, lang, DONE, 'maintenance')}
${problemsAlert(v.problems)}
<dl class="facts">
<dt>${ct(lang, 'outages.status')}</dt><dd>${statusLabel(lang, m, now)}</dd>
<dt>${ct(lang, 'maintenance.start')}</dt><dd>${localTime(m.startsAt, tz, lang)}</dd>
<dt>${ct(lang, 'maintenance.end')}</dt><dd>${localTime(m.endsAt, tz, lang)}</dd>
<dt>${ct(lang, 'outages.areas')}</dt><dd>${listOf(m.areas).join(', ')}</dd>
<dt>${ct(lang, 'outages.services')}</dt><dd>${listOf(m.services)
      .map((s) => serviceLabel(lang, s))
      .join(', ')}</dd>
<dt>${ct(lang, 'maintenance.told')}</dt><dd>${told}</dd>
<dt>${ct(lang, 'outages.source')}</dt><dd>${m.createdBy}</dd>
${(['cs', 'sk', 'en'] as const).map((l) => (texts[l] ? html`<dt>${ct(lang, `outages.text.${l}` as ConsoleTextKey)}</dt><dd class="text">${texts[l]}</dd>` : ''))}
</dl>
${
  changeable
    ? html`<h2>${ct(lang, 'maintenance.reschedule')}</h2>
<form method="post" action="/console/maintenance/${m.id}/reschedule" class="stack">${csrfField(csrf)}
<label for="r-start">${ct(lang, 'maintenance.start')}</label>
<input type="datetime-local" id="r-start" name="start" value="${v.start}" required aria-describedby="r-zone">
<label for="r-end">${ct(lang, 'maintenance.end')}</label>
<input type="datetime-local" id="r-end" name="end" value="${v.end}" required aria-describedby="r-zone">
<p class="hint" id="r-zone">${ct(lang, 'maintenance.zoneHint', { zone: tz })} ${ct(lang, 'maintenance.rescheduleHint')}</p>
<p><button type="submit">${ct(lang, 'maintenance.rescheduleSend')}</button></p>
</form>
<h2>${ct(lang, 'maintenance.cancel')}</h2>
<form method="post" action="/console/maintenance/${m.id}/cancel">${csrfField(csrf)}
<p>${ct(lang, 'maintenance.cancelHint')}</p>
<p><button type="submit">${ct(lang, 'maintenance.cancelSend')}</button></p>
</form>`
    : ''
}`;
    return page({ lang, title: ct(lang, 'maintenance.pageTitle', { id: m.id }), viewer: viewerOf(c), current: '/console/outages', body });
  }

  /** The maintenance in the address, or null (not a number, or none such). */
  async function find(c: Ctx): Promise<MaintenanceRow | null> {
    const id = c.req.param('id') ?? '';
    if (!/^\d{1,9}$/.test(id)) return null;
    try {
      return await d.maintenance.get(Number(id));
    } catch (err) {
      if (err instanceof LinkaError && err.code === 'maintenance_not_found') return null;
      throw err;
    }
  }
  const notFound = (c: Ctx) => {
    const lang = c.get('lang');
    return c.html(messagePage(lang, ct(lang, 'error.notFound.title'), ct(lang, 'maintenance.notFound'), viewerOf(c)), 404);
  };

  app.get('/maintenance/:id', async (c) => {
    const m = await find(c);
    return m ? c.html(await detailPage(c, m)) : notFound(c);
  });

  app.post('/maintenance/:id/reschedule', requireRole('admin'), async (c) => {
    const lang = c.get('lang');
    const m = await find(c);
    if (!m) return notFound(c);
    const times = readTimes(lang, await formOf(c), tz, d.clock(), { mustStartAhead: false });
    if (times.problems.length || !times.startsAt || !times.endsAt) return c.html(await detailPage(c, m, times), 400);
    try {
      const moved = await d.maintenance.reschedule(m.id, { startsAt: times.startsAt, endsAt: times.endsAt }, actorOf(c.get('user')));
      return c.redirect(`/console/maintenance/${m.id}?done=${moved.revision === m.revision ? 'unchanged' : 'rescheduled'}`, 303);
    } catch (err) {
      const why = refusal(lang, err);
      if (!why) throw err;
      return c.html(await detailPage(c, m, { ...times, problems: [why] }), 409);
    }
  });

  app.post('/maintenance/:id/cancel', requireRole('admin'), async (c) => {
    const lang = c.get('lang');
    const m = await find(c);
    if (!m) return notFound(c);
    try {
      await d.maintenance.cancel(m.id, actorOf(c.get('user')));
      return c.redirect(`/console/maintenance/${m.id}?done=cancelled`, 303);
    } catch (err) {
      const why = refusal(lang, err);
      if (!why) throw err;
      return c.html(await detailPage(c, m, { start: whenValue(m.startsAt, tz), end: whenValue(m.endsAt, tz), problems: [why] }), 409);
    }
  });
}
