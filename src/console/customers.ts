/**
 * The customers (docs/console.md, "Customers"): the list with one search box (name in any case
 * and without diacritics, contract number, or phone in any common form), paged; and one
 * customer's page: contact details, tier and this month's hours, balance and restriction,
 * opt-outs, recent conversations and tickets. Editing and the CSV upload (admins) are in
 * customer-edit.ts and customer-import.ts.
 */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { LinkaConfig } from '../config/schema.js';
import { localDate, localTime } from '../domain/date-format.js';
import { localDateTime } from '../domain/billing-month.js';
import { planOf, planStatus } from '../domain/entitlement.js';
import { formatMoney } from '../domain/money.js';
import { formatPhone, phoneQuery } from '../domain/phone.js';
import { hoursThisMonth } from '../services/hours.js';
import type { Lang } from '../shared/lang.js';
import { normalize } from '../shared/normalize.js';
import { formatMinutes } from '../shared/time.js';
import {
  consoleCustomer,
  customerConversations,
  customerIdsByPhone,
  customerRowsByIds,
  customerSearchKeys,
  customerTickets,
  optOutsAmong,
  paymentNoticesOf,
  ticketStatuses,
} from '../store/console-customers.js';
import { customerByContract } from '../store/customers.js';
import { type AuthSettings, type ConsoleEnv, type Ctx, hasRole } from './auth.js';
import { type Markup, messagePage, page } from './layout.js';
import { ct, type ConsoleTextKey } from './texts.js';
import { PAGE_SIZE, viewerOf } from './tickets.js';

export interface CustomerPagesDeps extends AuthSettings {
  timezone: string;
  config: LinkaConfig;
  /** The customer channels that are on (telegram, sms). */
  customerChannels: readonly string[];
}

const TICKETS_SHOWN = 20;
const CONVERSATIONS_SHOWN = 10;
const STATUSES = ['open', 'claimed', 'resolved', 'closed'] as const;

/** The words of a search, each of which must be in the name or the contract number (case and diacritics aside). */
const wordsOf = (q: string) => normalize(q).split(' ').filter(Boolean);

/**
 * The ids of the customers the search finds, by name: every word of it in the name or contract
 * number (case and diacritics folded here, so SQLite and PostgreSQL find the same), or the phone.
 */
export async function searchCustomers(d: Pick<CustomerPagesDeps, 'prisma' | 'config'>, q: string): Promise<string[]> {
  const keys = await customerSearchKeys(d.prisma);
  const words = wordsOf(q);
  const byPhone = q.trim() ? await customerIdsByPhone(d.prisma, phoneQuery(q, d.config.phoneRegion)) : new Set<string>();
  const collator = new Intl.Collator('cs');
  return keys
    .filter((k) => {
      if (!words.length) return true;
      if (byPhone.has(k.id)) return true;
      const text = `${normalize(k.name)} ${normalize(k.contractNumber)}`;
      return words.every((w) => text.includes(w));
    })
    .sort((a, b) => collator.compare(a.name, b.name) || a.contractNumber.localeCompare(b.contractNumber))
    .map((k) => k.id);
}

const ticketStatusLabel = (lang: Lang, status: string) =>
  (STATUSES as readonly string[]).includes(status) ? ct(lang, `tickets.status.${status}` as ConsoleTextKey) : status;
const categoryLabel = (lang: Lang, category: string) =>
  ['internet', 'voip', 'wifi', 'other'].includes(category) ? ct(lang, `category.${category}` as ConsoleTextKey) : category;
const languageLabel = (lang: Lang, code: string) => (['cs', 'sk', 'en'].includes(code) ? ct(lang, `customers.lang.${code}` as ConsoleTextKey) : code);

/** The channels a customer can be reached on, each marked when it is off in this Linka. */
function channelsOf(lang: Lang, c: { telegramId: string | null; phones: ReadonlyArray<unknown> }, on: readonly string[]): string {
  const names: string[] = [];
  const named = (channel: string, label: string) => (on.includes(channel) ? label : ct(lang, 'customers.channelOff', { channel: label }));
  if (c.telegramId) names.push(named('telegram', 'Telegram'));
  if (c.phones.length) names.push(named('sms', 'SMS'));
  return names.join(', ') || '–';
}

export function customerPages(app: Hono<ConsoleEnv>, d: CustomerPagesDeps): void {
  app.get('/customers', async (c) => {
    const lang = c.get('lang');
    const q = (c.req.query('q') ?? '').slice(0, 200);
    const ids = await searchCustomers(d, q);
    const pages = Math.max(1, Math.ceil(ids.length / PAGE_SIZE));
    const pageNo = Math.min(pages, Math.max(1, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
    const pageIds = ids.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE);
    const byId = new Map((await customerRowsByIds(d.prisma, pageIds)).map((r) => [r.id, r]));
    const rows = pageIds.flatMap((id) => {
      const row = byId.get(id);
      return row ? [row] : [];
    });
    const link = (p: number) => `/console/customers?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) }).toString()}`;
    const isAdmin = hasRole(c.get('user'), 'admin');
    const body = html`<form method="get" action="/console/customers" class="filters search" role="search">
<div><label for="c-q">${ct(lang, 'customers.search')}</label><input type="search" id="c-q" name="q" value="${q}" autocomplete="off"></div>
<div><button type="submit">${ct(lang, 'customers.searchSubmit')}</button></div>
</form>
${isAdmin ? html`<p><a href="/console/customers/import">${ct(lang, 'customers.importLink')}</a></p>` : ''}
<p role="status">${ct(lang, 'customers.count', { count: ids.length })}</p>
${
  rows.length === 0
    ? html`<p>${ct(lang, q.trim() ? 'customers.none' : 'customers.empty')}</p>`
    : html`<div class="table-wrap"><table class="customers">
<thead><tr><th scope="col">${ct(lang, 'customers.name')}</th><th scope="col">${ct(lang, 'customers.contract')}</th><th scope="col">${ct(lang, 'customers.tier')}</th><th scope="col">${ct(lang, 'customers.area')}</th><th scope="col">${ct(lang, 'customers.channels')}</th><th scope="col">${ct(lang, 'customers.openTickets')}</th></tr></thead>
<tbody>${rows.map(
        (r) => html`<tr>
<td><a href="/console/customers/${encodeURIComponent(r.id)}">${r.name}</a>${r.restrictedSince ? html` <span class="badge emergency">${ct(lang, 'customers.restricted')}</span>` : ''}</td>
<td>${r.contractNumber}</td>
<td>${r.tier}</td>
<td>${r.area ?? '–'}</td>
<td>${channelsOf(lang, r, d.customerChannels)}</td>
<td>${r._count.tickets}</td>
</tr>`,
      )}</tbody></table></div>`
}
${
  pages > 1
    ? html`<nav class="pager" aria-label="${ct(lang, 'tickets.page', { page: pageNo, pages })}">${pageNo > 1 ? html`<a href="${link(pageNo - 1)}" rel="prev">${ct(lang, 'tickets.prev')}</a>` : ''}<span>${ct(lang, 'tickets.page', { page: pageNo, pages })}</span>${pageNo < pages ? html`<a href="${link(pageNo + 1)}" rel="next">${ct(lang, 'tickets.next')}</a>` : ''}</nav>`
    : ''
}`;
    return c.html(page({ lang, title: ct(lang, 'customers.title'), viewer: viewerOf(c), current: '/console/customers', body }));
  });

  app.get('/customers/:key', async (c) => {
    const lang = c.get('lang');
    const customer = await customerByKey(d, c.req.param('key'));
    if (!customer) return c.html(messagePage(lang, ct(lang, 'error.notFound.title'), ct(lang, 'error.notFound'), viewerOf(c)), 404);
    return c.html(page({ lang, title: customer.name, viewer: viewerOf(c), current: '/console/customers', body: await customerBody(c, d, customer) }));
  });
}

/** A customer by the page's key: their id, or else their contract number. */
export async function customerByKey(d: Pick<AuthSettings, 'prisma'>, key: string): Promise<ConsoleCustomer | null> {
  const byId = await consoleCustomer(d.prisma, key);
  if (byId) return byId;
  const byContract = await customerByContract(d.prisma, key);
  return byContract ? consoleCustomer(d.prisma, byContract.id) : null;
}

type ConsoleCustomer = NonNullable<Awaited<ReturnType<typeof consoleCustomer>>>;

async function customerBody(c: Ctx, d: CustomerPagesDeps, customer: ConsoleCustomer): Promise<Markup> {
  const lang = c.get('lang');
  const now = d.clock();
  const when = (at: Date) => localTime(at, d.timezone, lang);
  const addresses = [...customer.phones.map((p) => `sms:${p.e164}`), ...(customer.telegramId ? [`telegram:${customer.telegramId}`] : [])];
  const [tickets, conversations, optOuts, notices, hours] = await Promise.all([
    customerTickets(d.prisma, customer.id, TICKETS_SHOWN),
    customerConversations(d.prisma, customer.id, addresses, CONVERSATIONS_SHOWN),
    optOutsAmong(d.prisma, addresses),
    paymentNoticesOf(d.prisma, customer.id, 12),
    hoursThisMonth(
      d.prisma,
      { timezone: d.timezone, prices: d.config.billing, tiers: d.config.tiers, freeDiagnosticsMinutes: d.config.callout.freeDiagnosticsMinutes },
      customer,
      now,
    ),
  ]);
  const sessionTickets = conversations.flatMap((v) => {
    const n = (v.state as { ticketNumber?: unknown } | null)?.ticketNumber;
    return typeof n === 'string' ? [n] : [];
  });
  const statuses = await ticketStatuses(d.prisma, sessionTickets);
  const plan = planOf(customer, d.config.tiers);
  const status = planStatus(plan, localDateTime(now, d.timezone).date);
  const left = Math.max(0, hours.includedMinutes - hours.usedMinutes);
  const balance = customer.balance && customer.balance.amount > 0 ? customer.balance : null;
  const notice = c.req.query('saved');
  const canEdit = hasRole(c.get('user'), 'admin');
  const ticketLink = (n: string) => html`<a href="/console/tickets/${encodeURIComponent(n)}">${n}</a>`;

  return html`<p><a href="/console/customers">${ct(lang, 'customers.page.back')}</a></p>
${notice === '1' ? html`<p class="notice" role="status">${ct(lang, 'customers.page.saved')}</p>` : notice === '0' ? html`<p class="notice" role="status">${ct(lang, 'customers.page.unchanged')}</p>` : ''}
${canEdit ? html`<p><a href="/console/customers/${encodeURIComponent(customer.id)}/edit">${ct(lang, 'customers.page.edit')}</a></p>` : ''}
<h2>${ct(lang, 'customers.page.contact')}</h2>
<dl class="facts">
<dt>${ct(lang, 'customers.field.contract_number')}</dt><dd>${customer.contractNumber}</dd>
<dt>${ct(lang, 'customers.field.phones')}</dt><dd>${customer.phones.length ? customer.phones.map((p) => formatPhone(p.e164)).join(', ') : '–'}</dd>
<dt>${ct(lang, 'customers.field.telegram_id')}</dt><dd>${customer.telegramId ?? ct(lang, 'customers.page.telegramNone')}</dd>
<dt>${ct(lang, 'customers.channels')}</dt><dd>${channelsOf(lang, customer, d.customerChannels)}</dd>
<dt>${ct(lang, 'customers.field.email')}</dt><dd>${customer.email ?? '–'}</dd>
<dt>${ct(lang, 'customers.field.notice_channel')}</dt><dd>${ct(lang, `customers.noticeChannel.${customer.noticeChannel ?? 'none'}` as ConsoleTextKey)}</dd>
<dt>${ct(lang, 'customers.field.address')}</dt><dd>${customer.address ?? '–'}</dd>
<dt>${ct(lang, 'customers.field.area')}</dt><dd>${customer.area ?? '–'}</dd>
<dt>${ct(lang, 'customers.field.access_point')}</dt><dd>${customer.accessPoint ?? '–'}</dd>
<dt>${ct(lang, 'customers.field.language')}</dt><dd>${languageLabel(lang, customer.language)}</dd>
</dl>
<h2>${ct(lang, 'customers.page.entitlement')}</h2>
<dl class="facts">
<dt>${ct(lang, 'customers.field.tier')}</dt><dd>${customer.tier}</dd>
<dt>${ct(lang, 'customers.page.plan')}</dt><dd>${
    plan.start === null && plan.end === null
      ? ct(lang, 'customers.page.planAlways')
      : ct(lang, 'customers.page.planRange', {
          from: plan.start ? localDate(plan.start, lang) : ct(lang, 'customers.page.planOpenStart'),
          until: plan.end ? localDate(plan.end, lang) : ct(lang, 'customers.page.planOpenEnd'),
        })
  }</dd>
<dt>${ct(lang, 'customers.page.planStatus')}</dt><dd>${ct(lang, `customers.page.planStatus.${status}` as ConsoleTextKey)}</dd>
${plan.minimumUntil ? html`<dt>${ct(lang, 'customers.page.minimumUntil')}</dt><dd>${localDate(plan.minimumUntil, lang)}</dd>` : ''}
<dt>${ct(lang, 'customers.page.included')}</dt><dd>${formatMinutes(hours.includedMinutes)}</dd>
<dt>${ct(lang, 'customers.page.used')}</dt><dd>${formatMinutes(hours.usedMinutes)}</dd>
<dt>${ct(lang, 'customers.page.left')}</dt><dd>${formatMinutes(left)}</dd>
<dt>${ct(lang, 'customers.page.packageLeft')}</dt><dd>${formatMinutes(hours.packageLeftMinutes)}</dd>
</dl>
<h2>${ct(lang, 'customers.page.payments')}</h2>
<p class="${customer.restrictedSince ? 'notice error' : ''}">${
    customer.restrictedSince
      ? ct(lang, 'customers.page.restrictedSince', { date: localDate(customer.restrictedSince, lang) })
      : ct(lang, 'customers.page.notRestricted')
  }</p>
<p>${
    balance
      ? html`${ct(lang, 'customers.page.balance')}: ${ct(lang, 'customers.page.balanceDue', { amount: formatMoney(balance.amount, balance.currency, lang), date: localDate(balance.dueDate, lang) })}`
      : ct(lang, 'customers.page.noBalance')
  }</p>
${
  customer.balance?.paymentReportedAt
    ? html`<p>${ct(lang, 'customers.page.paymentReported', { date: when(customer.balance.paymentReportedAt), ticket: customer.balance.paymentTicket ?? '–' })}</p>`
    : ''
}
<h3>${ct(lang, 'customers.page.notices')}</h3>
${
  notices.length
    ? html`<div class="table-wrap"><table><thead><tr><th scope="col">${ct(lang, 'customers.page.sentAt')}</th><th scope="col">${ct(lang, 'customers.page.kind')}</th><th scope="col">${ct(lang, 'customers.page.month')}</th><th scope="col">${ct(lang, 'customers.page.amount')}</th><th scope="col">${ct(lang, 'customers.page.sentTo')}</th></tr></thead><tbody>${notices.map(
        (n) =>
          html`<tr><td>${when(n.createdAt)}</td><td>${['reminder', 'warning', 'statement'].includes(n.kind) ? ct(lang, `customers.page.notice.${n.kind}` as ConsoleTextKey) : n.kind}</td><td>${n.month}</td><td>${formatMoney(n.amount, customer.balance?.currency ?? d.config.billing.currency, lang)}</td><td>${n.recipient}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${ct(lang, 'customers.page.noNotices')}</p>`
}
<h3>${ct(lang, 'customers.page.packages')}</h3>
${
  customer.packages.length
    ? html`<div class="table-wrap"><table><thead><tr><th scope="col">${ct(lang, 'customers.page.package')}</th><th scope="col">${ct(lang, 'customers.page.boughtOn')}</th><th scope="col">${ct(lang, 'customers.page.validUntil')}</th><th scope="col">${ct(lang, 'customers.page.packageTime')}</th><th scope="col">${ct(lang, 'customers.page.amount')}</th></tr></thead><tbody>${customer.packages.map(
        (p) =>
          html`<tr><td>${p.package} (${p.reference})</td><td>${localDate(p.boughtOn, lang)}</td><td>${p.validUntil ? localDate(p.validUntil, lang) : ct(lang, 'customers.page.untilUsed')}</td><td>${formatMinutes(p.minutes)}</td><td>${formatMoney(p.price, p.currency, lang)}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${ct(lang, 'customers.page.noPackages')}</p>`
}
<h2>${ct(lang, 'customers.page.optOuts')}</h2>
${
  optOuts.length
    ? html`<ul>${optOuts.map((o) => html`<li>${ct(lang, 'customers.page.optedOut', { address: o.conversationId, date: when(o.createdAt) })}</li>`)}</ul>`
    : html`<p>${ct(lang, 'customers.page.noOptOuts')}</p>`
}
<h2>${ct(lang, 'customers.page.conversations')}</h2>
${
  conversations.length
    ? html`<div class="table-wrap"><table><thead><tr><th scope="col">${ct(lang, 'customers.page.channel')}</th><th scope="col">${ct(lang, 'customers.page.started')}</th><th scope="col">${ct(lang, 'customers.page.lastActivity')}</th><th scope="col">${ct(lang, 'customers.page.where')}</th><th scope="col">${ct(lang, 'customers.page.outcome')}</th><th scope="col">${ct(lang, 'customers.page.lastMessage')}</th></tr></thead><tbody>${conversations.map(
        (v) => {
          const number = (v.state as { ticketNumber?: unknown } | null)?.ticketNumber;
          const last = v.messages[0];
          return html`<tr><td>${v.channel}</td><td>${when(v.sessionStartedAt)}</td><td>${when(v.updatedAt)}</td><td>${v.flow} · ${v.step}</td><td>${
            typeof number === 'string'
              ? html`${ticketLink(number)}${statuses.has(number) ? ` (${ticketStatusLabel(lang, statuses.get(number) as string)})` : ''}`
              : ct(lang, 'customers.page.noTicket')
          }</td><td class="message">${last ? `${last.text.length > 160 ? `${last.text.slice(0, 160)}…` : last.text}` : '–'}</td></tr>`;
        },
      )}</tbody></table></div>`
    : html`<p>${ct(lang, 'customers.page.noConversations')}</p>`
}
<h2>${ct(lang, 'customers.page.tickets')}</h2>
${
  tickets.rows.length
    ? html`<div class="table-wrap"><table><thead><tr><th scope="col">${ct(lang, 'tickets.number')}</th><th scope="col">${ct(lang, 'tickets.status')}</th><th scope="col">${ct(lang, 'tickets.category')}</th><th scope="col">${ct(lang, 'tickets.summary')}</th><th scope="col">${ct(lang, 'tickets.opened')}</th></tr></thead><tbody>${tickets.rows.map(
        (t) =>
          html`<tr><td>${ticketLink(t.number)}</td><td>${ticketStatusLabel(lang, t.status)}${t.claimedByName ? ` · ${t.claimedByName}` : ''}</td><td>${categoryLabel(lang, t.category)}</td><td>${t.summary}</td><td>${when(t.createdAt)}</td></tr>`,
      )}</tbody></table></div>
${tickets.total > tickets.rows.length ? html`<p>${ct(lang, 'customers.page.ticketsShown', { shown: tickets.rows.length, total: tickets.total })}</p>` : ''}`
    : html`<p>${ct(lang, 'customers.page.noTickets')}</p>`
}`;
}
