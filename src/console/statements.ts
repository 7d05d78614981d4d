/**
 * Statements in the console (docs/console.md, "Statements"): a month's statement of every
 * customer or of one, line by line with totals, included hours and prepaid packages, and the
 * same statement as CSV, byte for byte what `linka statement --month M --format csv` prints:
 * both come from statementReport (src/services/statements.ts) and renderCsv.
 */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { LinkaConfig } from '../config/schema.js';
import { monthOf, parseMonth } from '../domain/billing-month.js';
import type { LineKind } from '../domain/billing.js';
import { leadTimeText } from '../domain/maintenance.js';
import { formatMoney } from '../domain/money.js';
import { describeLine, renderCsv } from '../services/statement-render.js';
import { type CustomerMonth, statementReport, type StatementReport } from '../services/statements.js';
import type { Lang } from '../shared/lang.js';
import { customerChoices } from '../store/console-statements.js';
import { customerByContract } from '../store/customers.js';
import type { EntryCustomer } from '../store/time-entries.js';
import type { AuthSettings, ConsoleEnv, Ctx } from './auth.js';
import { type Markup, page } from './layout.js';
import { ct, type ConsoleTextKey } from './texts.js';
import { viewerOf } from './tickets.js';

export interface StatementPagesDeps extends AuthSettings {
  config: Pick<LinkaConfig, 'timezone' | 'billing' | 'tiers' | 'callout' | 'defaultLanguage'>;
}

const KINDS: readonly LineKind[] = ['work', 'travel', 'travel-km', 'travel-fee', 'non-billable', 'unagreed'];
const kindLabel = (lang: Lang, kind: string) => ((KINDS as readonly string[]).includes(kind) ? ct(lang, `statements.kind.${kind}` as ConsoleTextKey) : kind);

/** The month before `now`'s, in the company's time zone. */
export function lastMonth(now: Date, timeZone: string): string {
  const [y, m] = monthOf(now, timeZone).split('-').map(Number) as [number, number];
  return m === 1 ? `${String(y - 1).padStart(4, '0')}-12` : `${String(y).padStart(4, '0')}-${String(m - 1).padStart(2, '0')}`;
}

/** The attachment's file name: the month, and the contract number when one customer's (safe characters only). */
export function csvFileName(month: string, contract: string | undefined): string {
  return `statement-${month}${contract ? `-${contract.replace(/[^A-Za-z0-9._-]/g, '_')}` : ''}.csv`;
}

type Query = { month: string; customer: string };
type Read = { ok: true; q: Query; only?: EntryCustomer } | { ok: false; q: Query; status: 400 | 404; problem: string };

/** The month and customer of the address; the default month is the last one. */
async function readQuery(c: Ctx, d: StatementPagesDeps): Promise<Read> {
  const lang = c.get('lang');
  const month = (c.req.query('month') ?? '').trim() || lastMonth(d.clock(), d.config.timezone);
  const customer = (c.req.query('customer') ?? '').trim();
  const q = { month: month.slice(0, 20), customer: customer.slice(0, 100) };
  // A month from 2000 up to next year: a statement of the year 9999 would bill every month up to it.
  const parsed = parseMonth(month);
  const thisYear = Number(lastMonth(d.clock(), d.config.timezone).slice(0, 4));
  if (!parsed || parsed.year < 2000 || parsed.year > thisYear + 1)
    return { ok: false, q, status: 400, problem: ct(lang, 'statements.error.badMonth', { value: q.month }) };
  if (!customer) return { ok: true, q };
  const found = await customerByContract(d.prisma, customer);
  if (!found) return { ok: false, q, status: 404, problem: ct(lang, 'statements.error.noCustomer', { value: q.customer }) };
  return {
    ok: true,
    q,
    only: { id: found.id, contractNumber: found.contractNumber, name: found.name, tier: found.tier, planStart: found.planStart, planEnd: found.planEnd },
  };
}

function customerSection(lang: Lang, report: StatementReport, cm: CustomerMonth, index: number): Markup {
  const { customer: c, statement, plan } = cm;
  const money = (minor: number) => formatMoney(minor, report.billing.currency, report.lang);
  const s = statement.totals;
  const minutes = (n: number) => leadTimeText(n);
  const held = statement.packages.filter((p) => p.held);
  const num = (n: number) => html`<td class="num">${n}</td>`;
  return html`<section class="statement" aria-labelledby="st-${index}">
<h2 id="st-${index}">${c.contractNumber} · ${c.name}</h2>
<dl class="facts">
<dt>${ct(lang, 'statements.tier')}</dt><dd>${c.tier}</dd>
<dt>${ct(lang, 'statements.included')}</dt><dd>${
    s.includedMinutes > 0
      ? ct(lang, 'statements.includedUsed', { used: minutes(s.includedUsedMinutes), of: minutes(s.includedMinutes), left: minutes(s.includedLeftMinutes) })
      : ct(lang, 'statements.noIncluded')
  }</dd>
${held.length ? html`<dt>${ct(lang, 'statements.packagesLeft')}</dt><dd>${minutes(s.packageLeftMinutes)}</dd>` : ''}
${plan.start || plan.end ? html`<dt>${ct(lang, 'statements.plan')}</dt><dd>${plan.start ?? '…'} – ${plan.end ?? '…'}</dd>` : ''}
${plan.minimumUntil ? html`<dt>${ct(lang, 'statements.minimumUntil')}</dt><dd>${plan.minimumUntil}</dd>` : ''}
<dt>${ct(lang, 'statements.total')}</dt><dd><strong>${money(s.amount)}</strong></dd>
</dl>
${
  statement.lines.length === 0
    ? html`<p>${ct(lang, 'statements.noLines')}</p>`
    : html`<div class="table-wrap"><table class="lines">
<caption class="visually-hidden">${ct(lang, 'statements.linesOf', { name: c.name })}</caption>
<thead><tr><th scope="col">${ct(lang, 'statements.date')}</th><th scope="col">${ct(lang, 'statements.time')}</th><th scope="col">${ct(lang, 'statements.ticket')}</th><th scope="col">${ct(lang, 'statements.technician')}</th><th scope="col">${ct(lang, 'statements.kind')}</th><th scope="col">${ct(lang, 'statements.activity')}</th><th scope="col" class="num">${ct(lang, 'statements.minutes')}</th><th scope="col" class="num">${ct(lang, 'statements.rounded')}</th><th scope="col" class="num">${ct(lang, 'statements.includedMinutes')}</th><th scope="col" class="num">${ct(lang, 'statements.packageMinutes')}</th><th scope="col" class="num">${ct(lang, 'statements.billed')}</th><th scope="col" class="num">${ct(lang, 'statements.amount')}</th></tr></thead>
<tbody>${statement.lines.map(
        (l) => html`<tr>
<td class="nowrap">${l.date}</td><td>${l.time}</td><td class="nowrap"><a href="/console/tickets/${encodeURIComponent(l.ticketNumber)}">${l.ticketNumber}</a></td><td>${l.technicianName}</td><td>${kindLabel(lang, l.kind)}</td><td class="text">${describeLine(report, l)}</td>
${num(l.minutes)}${num(l.roundedMinutes)}${num(l.includedMinutes)}${num(l.packageMinutes)}${num(l.billedMinutes)}<td class="num">${money(l.amount)}</td>
</tr>`,
      )}</tbody>
<tfoot><tr><th scope="row" colspan="6">${ct(lang, 'statements.total')}</th>${num(s.minutes)}${num(s.roundedMinutes)}${num(s.includedUsedMinutes)}${num(s.packageMinutes)}${num(s.billedMinutes)}<td class="num"><strong>${money(s.amount)}</strong></td></tr></tfoot>
</table></div>`
}
${
  held.length
    ? html`<div class="table-wrap"><table>
<caption>${ct(lang, 'statements.packages')}</caption>
<thead><tr><th scope="col">${ct(lang, 'statements.package')}</th><th scope="col">${ct(lang, 'statements.boughtOn')}</th><th scope="col">${ct(lang, 'statements.validUntil')}</th><th scope="col" class="num">${ct(lang, 'statements.minutes')}</th><th scope="col" class="num">${ct(lang, 'statements.used')}</th><th scope="col" class="num">${ct(lang, 'statements.left')}</th></tr></thead>
<tbody>${held.map(
        (p) =>
          html`<tr><td>${p.name} (${p.reference})</td><td>${p.boughtOn}</td><td>${p.validUntil ?? '–'}</td>${num(p.minutes)}${num(p.usedMinutes)}${num(p.leftAfterMinutes)}</tr>`,
      )}</tbody></table></div>`
    : ''
}
</section>`;
}

export function statementPages(app: Hono<ConsoleEnv>, d: StatementPagesDeps): void {
  app.get('/statements', async (c) => {
    const lang = c.get('lang');
    const read = await readQuery(c, d);
    const { q } = read;
    const choices = await customerChoices(d.prisma);
    const form = html`<form method="get" action="/console/statements" class="filters" role="search">
<div><label for="s-month">${ct(lang, 'statements.month')}</label><input type="month" id="s-month" name="month" value="${q.month}" required aria-describedby="s-month-hint"><p class="hint" id="s-month-hint">${ct(lang, 'statements.monthHint')}</p></div>
<div><label for="s-customer">${ct(lang, 'statements.customer')}</label><select id="s-customer" name="customer"><option value="">${ct(lang, 'statements.allCustomers')}</option>${choices.map(
      (ch) => html`<option value="${ch.contractNumber}"${ch.contractNumber === q.customer ? html` selected` : ''}>${ch.contractNumber} · ${ch.name}</option>`,
    )}</select></div>
<div><button type="submit">${ct(lang, 'statements.show')}</button></div>
</form>`;
    const title = ct(lang, 'statements.pageTitle');
    if (!read.ok) {
      const body = html`${form}<p class="notice error" role="alert">${read.problem}</p>`;
      return c.html(page({ lang, title, viewer: viewerOf(c), current: '/console/statements', body }), read.status);
    }
    const { report, orphans } = await statementReport(d.prisma, d.config, q.month, read.only);
    const money = (minor: number) => formatMoney(minor, report.billing.currency, report.lang);
    const csv = `/console/statements.csv?${new URLSearchParams({ month: q.month, ...(q.customer ? { customer: q.customer } : {}) }).toString()}`;
    const grand = report.customers.reduce((sum, cm) => sum + cm.statement.totals.amount, 0);
    const body = html`${form}
<p class="links"><a class="button" href="${csv}" download>${ct(lang, 'statements.download')}</a></p>
${orphans.length ? html`<p class="notice error" role="status">${ct(lang, 'statements.orphans', { count: orphans.length, tickets: orphans.join(', ') })}</p>` : ''}
${
  report.customers.length === 0
    ? html`<p>${ct(lang, 'statements.none', { month: q.month })}</p>`
    : html`<p role="status">${ct(lang, 'statements.summary', { month: q.month, count: report.customers.length, amount: money(grand) })}</p>
${report.customers.map((cm, i) => customerSection(lang, report, cm, i))}`
}
<p class="hint">${report.billing.vatNote}</p>`;
    return c.html(page({ lang, title, viewer: viewerOf(c), current: '/console/statements', body }));
  });

  app.get('/statements.csv', async (c) => {
    const read = await readQuery(c, d);
    if (!read.ok) return c.text(`${read.problem}\n`, read.status);
    const { report } = await statementReport(d.prisma, d.config, read.q.month, read.only);
    return c.body(renderCsv(report), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${csvFileName(read.q.month, read.only?.contractNumber)}"`,
    });
  });
}
