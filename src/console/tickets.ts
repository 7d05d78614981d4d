/**
 * The ticket list (filters, urgency order as the queue's, pages) and the ticket page (the whole
 * history, checklist answers, events, offers with the exact terms quoted and the consents, time
 * entries), for every signed-in role. The actions are in ticket-actions.ts.
 */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { localTime } from '../domain/date-format.js';
import { isEmergency } from '../domain/sla.js';
import { eventText } from '../domain/ticket-detail.js';
import type { Lang } from '../shared/lang.js';
import {
  SLA_STATES,
  consoleTicket,
  offersWithConsents,
  ticketHolders,
  ticketPage,
  ticketRowsByIds,
  ticketTiers,
  type TicketFilter,
} from '../store/console-tickets.js';
import { type AuthSettings, type ConsoleEnv, type Ctx, hasRole } from './auth.js';
import { type Markup, messagePage, page, type Viewer, option } from './layout.js';
import { actionForms } from './ticket-actions.js';
import { historyItem } from './history.js';
import { ticketAttachments } from '../store/mail.js';
import { ct, type ConsoleTextKey } from './texts.js';

export const PAGE_SIZE = 50;

/** "830 B", "12 kB", "5.2 MB". */
const fileSize = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} kB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
const STATUSES = ['active', 'open', 'claimed', 'resolved', 'closed', 'all'] as const;
const CATEGORIES = ['internet', 'voip', 'wifi', 'other'] as const;

export interface TicketPagesDeps extends AuthSettings {
  timezone: string;
}

export const viewerOf = (c: Ctx): Viewer => ({ displayName: c.get('user').displayName, role: c.get('user').role, csrfToken: c.get('session').csrfToken });

const categoryLabel = (lang: Lang, category: string) =>
  (CATEGORIES as readonly string[]).includes(category) ? ct(lang, `category.${category}` as ConsoleTextKey) : category;
const statusLabel = (lang: Lang, status: string) =>
  (STATUSES as readonly string[]).includes(status) ? ct(lang, `tickets.status.${status}` as ConsoleTextKey) : status;

export function ticketPages(app: Hono<ConsoleEnv>, d: TicketPagesDeps): void {
  app.get('/tickets', async (c) => {
    const lang = c.get('lang');
    const q = c.req.query();
    const filter: TicketFilter = {
      status: (STATUSES as readonly string[]).includes(q.status ?? '') ? q.status : 'active',
      tier: q.tier || undefined,
      emergency: q.emergency === '1',
      technician: q.technician || undefined,
      category: q.category || undefined,
      text: q.q?.slice(0, 200) || undefined,
      sla: (SLA_STATES as readonly string[]).includes(q.sla ?? '') ? q.sla : undefined,
      now: d.clock(),
    };
    // At most the 100,000th page (the database takes a 32-bit offset); past the last, the last is shown.
    const asked = Math.min(100_000, Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1));
    let { total, ids } = await ticketPage(d.prisma, filter, (asked - 1) * PAGE_SIZE, PAGE_SIZE);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const pageNo = Math.min(pages, asked);
    if (pageNo !== asked) ({ total, ids } = await ticketPage(d.prisma, filter, (pageNo - 1) * PAGE_SIZE, PAGE_SIZE));
    const byId = new Map((await ticketRowsByIds(d.prisma, ids)).map((r) => [r.id, r]));
    const rows = ids.flatMap((id) => (byId.get(id) ? [byId.get(id) as NonNullable<ReturnType<typeof byId.get>>] : []));
    const [holders, tiers] = await Promise.all([ticketHolders(d.prisma), ticketTiers(d.prisma)]);
    const link = (p: number) => {
      const params = new URLSearchParams(Object.entries({ ...q, page: String(p) }).filter(([, v]) => v !== undefined && v !== ''));
      return `/console/tickets?${params.toString()}`;
    };
    const body = html`<form method="get" action="/console/tickets" class="filters" role="search">
<div><label for="f-status">${ct(lang, 'tickets.status')}</label><select id="f-status" name="status">${STATUSES.map((s) => option(s, statusLabel(lang, s), filter.status))}</select></div>
<div><label for="f-tier">${ct(lang, 'tickets.tier')}</label><select id="f-tier" name="tier">${option('', ct(lang, 'tickets.any'), filter.tier)}${tiers.map((t) => option(t, t, filter.tier))}</select></div>
<div><label for="f-tech">${ct(lang, 'tickets.technician')}</label><select id="f-tech" name="technician">${option('', ct(lang, 'tickets.any'), filter.technician)}${holders.map((h) => option(h.id, h.name, filter.technician))}</select></div>
<div><label for="f-cat">${ct(lang, 'tickets.category')}</label><select id="f-cat" name="category">${option('', ct(lang, 'tickets.any'), filter.category)}${CATEGORIES.map((k) => option(k, categoryLabel(lang, k), filter.category))}</select></div>
<div><label for="f-sla">${ct(lang, 'tickets.sla')}</label><select id="f-sla" name="sla">${option('', ct(lang, 'tickets.any'), filter.sla)}${SLA_STATES.map((s) => option(s, ct(lang, `tickets.sla.${s}` as ConsoleTextKey), filter.sla))}</select></div>
<div><label for="f-q">${ct(lang, 'tickets.search')}</label><input type="search" id="f-q" name="q" value="${filter.text ?? ''}"></div>
<div class="check"><input type="checkbox" id="f-em" name="emergency" value="1"${filter.emergency ? html` checked` : ''}> <label for="f-em">${ct(lang, 'tickets.emergency')}</label></div>
<div><button type="submit">${ct(lang, 'tickets.filter')}</button></div>
</form>
<p role="status">${ct(lang, 'tickets.count', { count: total })}</p>
${
  rows.length === 0
    ? html`<p>${ct(lang, 'tickets.none')}</p>`
    : html`<div class="table-wrap"><table>
<thead><tr><th scope="col">${ct(lang, 'tickets.number')}</th><th scope="col">${ct(lang, 'tickets.status')}</th><th scope="col">${ct(lang, 'tickets.customer')}</th><th scope="col">${ct(lang, 'tickets.category')}</th><th scope="col">${ct(lang, 'tickets.tier')}</th><th scope="col">${ct(lang, 'tickets.deadline')}</th><th scope="col">${ct(lang, 'tickets.holder')}</th><th scope="col">${ct(lang, 'tickets.opened')}</th></tr></thead>
<tbody>${rows.map(
        (t) => html`<tr>
<td><a href="/console/tickets/${encodeURIComponent(t.number)}">${t.number}</a>${isEmergency(t) ? html` <span class="badge emergency">${ct(lang, 'tickets.emergencyMark')}</span>` : ''}</td>
<td>${statusLabel(lang, t.status)}</td>
<td>${t.customer ? t.customer.name : ct(lang, 'tickets.unknownCustomer')}</td>
<td>${categoryLabel(lang, t.category)}</td>
<td>${t.tier}</td>
<td>${t.deadline ? localTime(t.deadline, d.timezone, lang) : '–'}</td>
<td>${t.claimedByName ?? '–'}</td>
<td>${localTime(t.createdAt, d.timezone, lang)}</td>
</tr>`,
      )}</tbody></table></div>`
}
${
  pages > 1
    ? html`<nav class="pager" aria-label="${ct(lang, 'tickets.page', { page: pageNo, pages })}">${pageNo > 1 ? html`<a href="${link(pageNo - 1)}" rel="prev">${ct(lang, 'tickets.prev')}</a>` : ''}<span>${ct(lang, 'tickets.page', { page: pageNo, pages })}</span>${pageNo < pages ? html`<a href="${link(pageNo + 1)}" rel="next">${ct(lang, 'tickets.next')}</a>` : ''}</nav>`
    : ''
}`;
    return c.html(page({ lang, title: ct(lang, 'tickets.title'), viewer: viewerOf(c), current: '/console/tickets', body }));
  });

  app.get('/tickets/:number', async (c) => {
    const lang = c.get('lang');
    const number = c.req.param('number');
    const ticket = await consoleTicket(d.prisma, number);
    if (!ticket) return c.html(messagePage(lang, ct(lang, 'error.notFound.title'), ct(lang, 'error.notFound'), viewerOf(c)), 404);
    const [offers, attachments] = await Promise.all([offersWithConsents(d.prisma, ticket.id), ticketAttachments(d.prisma, ticket.id)]);
    const when = (at: Date) => localTime(at, d.timezone, lang);
    type Entry = { at: Date; order: number; markup: Markup };
    const entries: Entry[] = [
      ...ticket.messages.map((m) => {
        const item = historyItem(m, lang, d.timezone);
        return {
          at: m.createdAt,
          order: m.id,
          markup: html`<li id="m-${item.id}" class="${item.kind}"><span class="meta">${item.meta}</span>${item.text}</li>`,
        };
      }),
      ...ticket.events.flatMap((e) => {
        const data = (e.data ?? {}) as { name?: string; text?: string };
        if (e.type !== 'note' && e.type !== 'technician_message') return [];
        const kind = e.type === 'note' ? 'note' : 'technician';
        const who = `${ct(lang, e.type === 'note' ? 'ticket.from.note' : 'ticket.from.technician')} · ${data.name ?? e.actor} · ${when(e.createdAt)}`;
        return [{ at: e.createdAt, order: Number.MAX_SAFE_INTEGER, markup: html`<li class="${kind}"><span class="meta">${who}</span>${data.text ?? ''}</li>` }];
      }),
    ].sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
    const lastId = ticket.messages.reduce((max, m) => Math.max(max, m.id), 0);
    const answers = Object.entries((ticket.answers ?? {}) as Record<string, unknown>);
    const canAct = hasRole(c.get('user'), 'technician');
    const notice = c.req.query('msg');
    const body = html`<p><a href="/console/tickets">${ct(lang, 'ticket.back')}</a></p>
${notice ? html`<p class="notice${c.req.query('ok') === '1' ? '' : ' error'}" role="status">${notice}</p>` : ''}
<dl class="facts">
<dt>${ct(lang, 'ticket.status')}</dt><dd>${statusLabel(lang, ticket.status)}${ticket.claimedByName ? ` · ${ticket.claimedByName}` : ''}${isEmergency(ticket) ? html` <span class="badge emergency">${ct(lang, 'tickets.emergencyMark')}</span>` : ''}</dd>
<dt>${ct(lang, 'tickets.customer')}</dt><dd>${ticket.customer ? `${ticket.customer.name} · ${ct(lang, 'ticket.contract')} ${ticket.customer.contractNumber}` : ct(lang, 'tickets.unknownCustomer')}</dd>
<dt>${ct(lang, 'tickets.category')}</dt><dd>${categoryLabel(lang, ticket.category)}</dd>
<dt>${ct(lang, 'tickets.tier')}</dt><dd>${ticket.tier}</dd>
<dt>${ct(lang, 'ticket.sla')}</dt><dd>${ticket.deadline ? when(ticket.deadline) : '–'}</dd>
<dt>${ct(lang, 'ticket.resolution')}</dt><dd>${ticket.resolutionDeadline ? when(ticket.resolutionDeadline) : '–'}</dd>
<dt>${ct(lang, 'tickets.summary')}</dt><dd class="text">${ticket.summary}</dd>
</dl>
${canAct ? html`<h2>${ct(lang, 'ticket.actions')}</h2>${actionForms(lang, ticket, c.get('session').csrfToken)}` : ''}
<h2>${ct(lang, 'ticket.history')}</h2>
<p class="visually-hidden">${ct(lang, 'ticket.live')}</p>
<ol class="history" aria-live="polite" data-events="/console/tickets/${encodeURIComponent(ticket.number)}/events" data-last="${lastId}">${entries.map((e) => e.markup)}</ol>
<h2>${ct(lang, 'ticket.answers')}</h2>
${answers.length ? html`<dl class="facts">${answers.map(([k, v]) => html`<dt>${k}</dt><dd>${typeof v === 'string' ? v : JSON.stringify(v)}</dd>`)}</dl>` : html`<p>–</p>`}
<h2>${ct(lang, 'ticket.attachments')}</h2>
${
  attachments.length
    ? html`<ul>${attachments.map((a) => html`<li><a href="/console/attachments/${encodeURIComponent(a.id)}" download>${a.filename}</a> (${fileSize(a.size)}, ${when(a.createdAt)})</li>`)}</ul>`
    : html`<p>${ct(lang, 'ticket.noAttachments')}</p>`
}
<h2>${ct(lang, 'ticket.consents')}</h2>
${
  offers.length
    ? offers.map(
        (o) => html`<section class="notice"><p><strong>${ct(lang, 'ticket.offerStatus')}:</strong> ${o.status} · ${when(o.createdAt)} · ${o.createdBy}</p>
<p><strong>${ct(lang, 'ticket.quoted')}:</strong></p><blockquote>${o.consent ? o.consent.quotedText : o.quotedText}</blockquote>
${o.consent ? html`<p><strong>${ct(lang, 'ticket.consentReply')}:</strong> ${o.consent.decision} · „${o.consent.reply}“ · ${o.consent.channel} · ${when(o.consent.createdAt)}</p>` : ''}</section>`,
      )
    : html`<p>${ct(lang, 'ticket.noConsents')}</p>`
}
<h2>${ct(lang, 'ticket.time')}</h2>
${
  ticket.timeEntries.length
    ? html`<div class="table-wrap"><table><thead><tr><th scope="col">${ct(lang, 'tickets.opened')}</th><th scope="col">${ct(lang, 'tickets.technician')}</th><th scope="col">${ct(lang, 'ticket.duration')}</th><th scope="col">${ct(lang, 'ticket.activity')}</th></tr></thead><tbody>${ticket.timeEntries.map(
        (e) =>
          html`<tr><td>${when(e.workedAt ?? e.createdAt)}</td><td>${e.technicianName}</td><td>${ct(lang, 'ticket.minutes', { minutes: e.minutes })}</td><td>${e.activity}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${ct(lang, 'ticket.noTime')}</p>`
}
<h2>${ct(lang, 'ticket.events')}</h2>
<div class="table-wrap"><table><thead><tr><th scope="col">${ct(lang, 'ticket.eventWhen')}</th><th scope="col">${ct(lang, 'ticket.eventWhat')}</th></tr></thead><tbody>${ticket.events.map(
      (e) => html`<tr><td>${when(e.createdAt)}</td><td>${eventText(e, lang)}</td></tr>`,
    )}</tbody></table></div>`;
    return c.html(page({ lang, title: `${ticket.number} · ${categoryLabel(lang, ticket.category)}`, viewer: viewerOf(c), current: '/console/tickets', body }));
  });
}
