/**
 * The dashboard (/console/dashboard): for a chosen period, how many conversations started and
 * how many the checklist solved without a technician, tickets opened and resolved, service levels,
 * the median time to a first reaction, satisfaction, SMS segments and their cost, notices sent,
 * and the work billed. Each chart is drawn by Chart.js (served by Linka) from the table printed
 * under it: the table is the data, the picture only shows it (docs/console.md, "Dashboard").
 */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { LinkaConfig } from '../config/schema.js';
import { choosePeriod, type ChosenPeriod, daysOf, median, monthsOf, PERIODS, percent, perDay } from '../domain/dashboard.js';
import { formatMoney } from '../domain/money.js';
import { statementReport } from '../services/statements.js';
import type { Lang } from '../shared/lang.js';
import { dashboardRows } from '../store/dashboard.js';
import type { AuthSettings, ConsoleEnv } from './auth.js';
import { type Markup, page, option } from './layout.js';
import { ct, type ConsoleTextKey } from './texts.js';
import { viewerOf } from './tickets.js';

export interface DashboardDeps extends AuthSettings {
  config: LinkaConfig;
}

export const OUTCOMES = ['resolved_by_customer', 'ticket_opened', 'faq_answered', 'abandoned'] as const;

/** Everything the dashboard shows for a period, computed (the page and its test read this). */
export interface DashboardFigures {
  period: ChosenPeriod;
  sessionsStarted: number;
  outcomes: Record<(typeof OUTCOMES)[number], number>;
  /** Solved by the checklist without a technician, of the sessions that ended solved or with a ticket (per cent). */
  checklistShare: number | null;
  ticketsOpened: number;
  ticketsResolved: number;
  days: string[];
  openedPerDay: number[];
  resolvedPerDay: number[];
  sla: { met: number; missed: number; percent: number | null };
  resolution: { met: number; missed: number; percent: number | null };
  /** Median minutes from opening to the first reaction, of the tickets reacted to. */
  medianReactionMinutes: number | null;
  satisfaction: { counts: number[]; average: number | null; answers: number };
  sms: { messages: number; segments: number; cost: number | null };
  outageNotices: number;
  maintenanceNotices: number;
  billed: { minutes: number; billedMinutes: number; amount: number };
}

export async function dashboardFigures(d: DashboardDeps, period: ChosenPeriod): Promise<DashboardFigures> {
  const [rows, billed] = await Promise.all([dashboardRows(d.prisma, period), billedWork(d, period)]);
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, rows.outcomes[o] ?? 0])) as DashboardFigures['outcomes'];
  const days = daysOf(period);
  const reactions = rows.opened.flatMap((t) => (t.firstReactionAt ? [(t.firstReactionAt.getTime() - t.createdAt.getTime()) / 60_000] : []));
  const counts = [1, 2, 3, 4, 5].map((score) => rows.satisfaction[score] ?? 0);
  const answers = counts.reduce((a, b) => a + b, 0);
  const price = d.config.sms.segmentPrice;
  return {
    period,
    sessionsStarted: rows.sessionsStarted,
    outcomes,
    checklistShare: percent(outcomes.resolved_by_customer, outcomes.resolved_by_customer + outcomes.ticket_opened),
    ticketsOpened: rows.opened.length,
    ticketsResolved: rows.resolved.length,
    days,
    openedPerDay: perDay(
      rows.opened.map((t) => t.createdAt),
      days,
      d.config.timezone,
    ),
    resolvedPerDay: perDay(rows.resolved, days, d.config.timezone),
    sla: { ...rows.sla, percent: percent(rows.sla.met, rows.sla.met + rows.sla.missed) },
    resolution: { ...rows.resolution, percent: percent(rows.resolution.met, rows.resolution.met + rows.resolution.missed) },
    medianReactionMinutes: median(reactions),
    satisfaction: { counts, answers, average: answers ? Math.round((counts.reduce((s, n, i) => s + n * (i + 1), 0) / answers) * 10) / 10 : null },
    sms: { ...rows.sms, cost: price === null ? null : rows.sms.segments * price },
    outageNotices: rows.outageNotices,
    maintenanceNotices: rows.maintenanceNotices,
    billed,
  };
}

/** The work billed in the period: the statements' lines dated in it (a whole month: `linka statement`'s totals). */
async function billedWork(d: DashboardDeps, p: ChosenPeriod): Promise<DashboardFigures['billed']> {
  const sum = { minutes: 0, billedMinutes: 0, amount: 0 };
  for (const month of monthsOf(p)) {
    const { report } = await statementReport(d.prisma, d.config, month);
    for (const c of report.customers)
      for (const line of c.statement.lines)
        if (line.date >= p.firstDay && line.date <= p.lastDay) {
          sum.minutes += line.minutes;
          sum.billedMinutes += line.billedMinutes;
          sum.amount += line.amount;
        }
  }
  return sum;
}

const number = (lang: Lang, n: number) => new Intl.NumberFormat(lang === 'en' ? 'en-GB' : lang).format(n);

function duration(lang: Lang, minutes: number | null): string {
  if (minutes === null) return '–';
  const m = Math.round(minutes);
  if (m < 60) return ct(lang, 'dashboard.minutes', { m });
  if (m < 48 * 60) return ct(lang, 'dashboard.hoursMinutes', { h: Math.floor(m / 60), m: m % 60 });
  return ct(lang, 'dashboard.daysHours', { d: Math.floor(m / 1440), h: Math.floor((m % 1440) / 60) });
}

const pct = (lang: Lang, p: number | null) => (p === null ? '–' : `${number(lang, p)} %`);

/** A figure: its label, the value as shown, and the raw number (data-value, for scripts and tests). */
function tile(id: string, raw: number | null, label: string, value: string, detail?: string): Markup {
  return html`<div class="tile" data-figure="${id}" data-value="${raw ?? ''}"><dt>${label}</dt><dd><span class="big">${value}</span>${detail ? html`<span class="detail">${detail}</span>` : ''}</dd></div>`;
}

/**
 * A chart and its table: the script draws `kind` from the table's rows (first cell the label, the
 * others one series each, named by the column headers).
 */
function chart(opts: {
  id: string;
  kind: 'bar' | 'doughnut';
  title: string;
  summary: string;
  head: string[];
  rows: Array<[string, ...number[]]>;
  lang: Lang;
  open?: boolean;
}): Markup {
  const { lang } = opts;
  return html`<figure class="chart" data-chart="${opts.kind}" aria-labelledby="${opts.id}-title">
<figcaption id="${opts.id}-title">${opts.title}</figcaption>
<div class="chart-box"><canvas id="${opts.id}" role="img" aria-label="${opts.summary}"></canvas></div>
<details${opts.open ? html` open` : ''}><summary>${ct(lang, 'dashboard.table')}</summary>
<div class="table-wrap"><table id="${opts.id}-data">
<thead><tr>${opts.head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${opts.rows.map(([label, ...values]) => html`<tr><th scope="row">${label}</th>${values.map((v) => html`<td data-value="${v}">${number(lang, v)}</td>`)}</tr>`)}</tbody>
</table></div></details>
</figure>`;
}

export function dashboardPage(lang: Lang, f: DashboardFigures, currency: string, error?: string): Markup {
  const p = f.period;
  const dayLabel = (day: string) =>
    new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang, { day: 'numeric', month: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
  const outcomeRows = OUTCOMES.map((o) => [ct(lang, `dashboard.outcome.${o}` as ConsoleTextKey), f.outcomes[o]] as [string, number]);
  const finished = OUTCOMES.reduce((s, o) => s + f.outcomes[o], 0);
  return html`<form method="get" action="/console/dashboard" class="filters period">
<div><label for="p-kind">${ct(lang, 'dashboard.period')}</label><select id="p-kind" name="period">${PERIODS.map((k) => option(k, ct(lang, `dashboard.period.${k}` as ConsoleTextKey), p.kind))}</select></div>
<div><label for="p-from">${ct(lang, 'dashboard.from')}</label><input type="date" id="p-from" name="from" value="${p.firstDay}"></div>
<div><label for="p-to">${ct(lang, 'dashboard.to')}</label><input type="date" id="p-to" name="to" value="${p.lastDay}"></div>
<div><button type="submit">${ct(lang, 'dashboard.show')}</button></div>
</form>
${error ? html`<p class="notice error" role="alert">${error}</p>` : ''}
<p role="status" class="period-line">${ct(lang, 'dashboard.showing', { from: dayLabel(p.firstDay), to: dayLabel(p.lastDay) })}</p>
<dl class="tiles">
${tile('sessions', f.sessionsStarted, ct(lang, 'dashboard.sessions'), number(lang, f.sessionsStarted), ct(lang, 'dashboard.sessionsEnded', { count: number(lang, finished) }))}
${tile(
  'checklistShare',
  f.checklistShare,
  ct(lang, 'dashboard.checklistShare'),
  pct(lang, f.checklistShare),
  ct(lang, 'dashboard.checklistOf', {
    solved: number(lang, f.outcomes.resolved_by_customer),
    total: number(lang, f.outcomes.resolved_by_customer + f.outcomes.ticket_opened),
  }),
)}
${tile('ticketsOpened', f.ticketsOpened, ct(lang, 'dashboard.tickets'), `${number(lang, f.ticketsOpened)} / ${number(lang, f.ticketsResolved)}`, ct(lang, 'dashboard.ticketsDetail'))}
${tile('slaReaction', f.sla.percent, ct(lang, 'dashboard.slaReaction'), pct(lang, f.sla.percent), ct(lang, 'dashboard.metOf', { met: number(lang, f.sla.met), total: number(lang, f.sla.met + f.sla.missed) }))}
${tile('slaResolution', f.resolution.percent, ct(lang, 'dashboard.slaResolution'), pct(lang, f.resolution.percent), ct(lang, 'dashboard.metOf', { met: number(lang, f.resolution.met), total: number(lang, f.resolution.met + f.resolution.missed) }))}
${tile('medianReaction', f.medianReactionMinutes, ct(lang, 'dashboard.medianReaction'), duration(lang, f.medianReactionMinutes))}
${tile(
  'satisfaction',
  f.satisfaction.average,
  ct(lang, 'dashboard.satisfaction'),
  f.satisfaction.average === null ? '–' : `${number(lang, f.satisfaction.average)} / 5`,
  ct(lang, 'dashboard.answers', { count: number(lang, f.satisfaction.answers) }),
)}
${tile(
  'smsSegments',
  f.sms.segments,
  ct(lang, 'dashboard.sms'),
  number(lang, f.sms.segments),
  f.sms.cost === null
    ? ct(lang, 'dashboard.smsNoPrice', { messages: number(lang, f.sms.messages) })
    : ct(lang, 'dashboard.smsCost', { messages: number(lang, f.sms.messages), cost: formatMoney(f.sms.cost, currency, lang) }),
)}
${tile('outageNotices', f.outageNotices, ct(lang, 'dashboard.notices'), number(lang, f.outageNotices), ct(lang, 'dashboard.maintenanceNotices', { count: number(lang, f.maintenanceNotices) }))}
${tile('billedAmount', f.billed.amount, ct(lang, 'dashboard.billed'), formatMoney(f.billed.amount, currency, lang), ct(lang, 'dashboard.billedTime', { logged: duration(lang, f.billed.minutes), billed: duration(lang, f.billed.billedMinutes) }))}
</dl>
<div class="charts">
${chart({
  id: 'chart-outcomes',
  kind: 'doughnut',
  lang,
  title: ct(lang, 'dashboard.chart.outcomes'),
  summary: outcomeRows.map(([l, n]) => `${l}: ${n}`).join(', '),
  head: [ct(lang, 'dashboard.col.outcome'), ct(lang, 'dashboard.col.sessions')],
  rows: outcomeRows,
  open: true,
})}
${chart({
  id: 'chart-tickets',
  kind: 'bar',
  lang,
  title: ct(lang, 'dashboard.chart.tickets'),
  summary: ct(lang, 'dashboard.chart.ticketsSummary', { opened: f.ticketsOpened, resolved: f.ticketsResolved }),
  head: [ct(lang, 'dashboard.col.day'), ct(lang, 'dashboard.col.opened'), ct(lang, 'dashboard.col.resolved')],
  rows: f.days.map((day, i) => [dayLabel(day), f.openedPerDay[i] ?? 0, f.resolvedPerDay[i] ?? 0]),
})}
${chart({
  id: 'chart-satisfaction',
  kind: 'bar',
  lang,
  title: ct(lang, 'dashboard.chart.satisfaction'),
  summary: f.satisfaction.counts.map((n, i) => `${i + 1}: ${n}`).join(', '),
  head: [ct(lang, 'dashboard.col.score'), ct(lang, 'dashboard.col.answers')],
  rows: f.satisfaction.counts.map((n, i) => [`${i + 1}`, n]),
  open: true,
})}
</div>`;
}

export function dashboardPages(app: Hono<ConsoleEnv>, d: DashboardDeps): void {
  app.get('/dashboard', async (c) => {
    const lang = c.get('lang');
    const period = choosePeriod(c.req.query(), d.clock(), d.config.timezone);
    const figures = await dashboardFigures(d, period);
    const error = period.error ? ct(lang, period.error === 'tooLong' ? 'dashboard.error.tooLong' : 'dashboard.error.range') : undefined;
    return c.html(
      page({
        lang,
        title: ct(lang, 'dashboard.title'),
        viewer: viewerOf(c),
        current: '/console/dashboard',
        charts: true,
        body: dashboardPage(lang, figures, d.config.billing.currency, error),
      }),
      error ? 400 : 200,
    );
  });
}
