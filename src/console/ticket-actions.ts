/**
 * The ticket page's actions (technicians and admins) through the same queue service Slack and
 * Discord use (src/services/queue.ts), acting as the signed-in user; and the live stream of the
 * ticket's new messages (server-sent events).
 */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { streamSSE } from 'hono/streaming';
import { parseLocalDateTime } from '../domain/business-time.js';
import type { Lang } from '../shared/lang.js';
import type { Queue, QueueResult, Technician } from '../services/queue.js';
import { ticketIdByNumber, ticketMessagesAfter } from '../store/console-tickets.js';
import type { OperatorUser } from '../store/operators.js';
import type { Ticket } from '../store/types.js';
import { type AuthSettings, type ConsoleEnv, formOf, requireRole } from './auth.js';
import { csrfField, type Markup } from './layout.js';
import { ct } from './texts.js';
import { historyItem } from './history.js';

export interface TicketActionDeps extends AuthSettings {
  queue: Queue;
  timezone: string;
  /** How often the live page looks for new messages. */
  pollMs?: number;
  /** Set when the server stops: the live streams end. */
  stopping: AbortSignal;
}

/**
 * Who acts in the console: the person's Slack id when linked (so a claim here and in Slack is
 * the same technician), else their Discord id, else `console:<username>`.
 */
export function technicianOf(user: Pick<OperatorUser, 'username' | 'displayName' | 'slackId' | 'discordId'>): Technician {
  const id = user.slackId ? `slack:${user.slackId}` : user.discordId ? `discord:${user.discordId}` : `console:${user.username}`;
  return { id, name: user.displayName, platform: 'console' };
}

const ACTIONS = ['claim', 'release', 'reply', 'note', 'time', 'offer', 'visit', 'resolve'] as const;
type Action = (typeof ACTIONS)[number];

/** The action forms of a ticket page (shown to technicians and admins only). */
export function actionForms(lang: Lang, ticket: Pick<Ticket, 'number' | 'status'>, csrf: string): Markup {
  const to = (a: Action) => `/console/tickets/${encodeURIComponent(ticket.number)}/${a}`;
  const done = ticket.status === 'resolved' || ticket.status === 'closed';
  const button = (a: Action, key: Parameters<typeof ct>[1]) =>
    html`<form method="post" action="${to(a)}">${csrfField(csrf)}<button type="submit">${ct(lang, key)}</button></form>`;
  return html`<div class="actions">
${done ? '' : ticket.status === 'claimed' ? button('release', 'ticket.release') : button('claim', 'ticket.claim')}
<form method="post" action="${to('reply')}">${csrfField(csrf)}<label for="a-reply">${ct(lang, 'ticket.reply')}</label><textarea id="a-reply" name="text" required maxlength="4000"></textarea><p><button type="submit">${ct(lang, 'ticket.replySend')}</button></p></form>
<form method="post" action="${to('note')}">${csrfField(csrf)}<label for="a-note">${ct(lang, 'ticket.note')}</label><textarea id="a-note" name="text" required maxlength="4000"></textarea><p><button type="submit">${ct(lang, 'ticket.noteSave')}</button></p></form>
<form method="post" action="${to('time')}">${csrfField(csrf)}<label for="a-min">${ct(lang, 'ticket.duration')}</label><input type="number" id="a-min" name="minutes" min="1" max="1440" required><label for="a-act">${ct(lang, 'ticket.activity')}</label><input type="text" id="a-act" name="activity" required maxlength="500"><p><button type="submit">${ct(lang, 'ticket.logTime')}</button></p></form>
${done ? '' : button('offer', 'ticket.offer')}
<form method="post" action="${to('visit')}">${csrfField(csrf)}<label for="a-at">${ct(lang, 'ticket.visitAt')}</label><input type="datetime-local" id="a-at" name="at" required><p><input type="checkbox" id="a-free" name="free" value="1"> <label for="a-free" class="inline">${ct(lang, 'ticket.visitFree')}</label></p><p><button type="submit">${ct(lang, 'ticket.visit')}</button></p></form>
${done ? '' : html`<form method="post" action="${to('resolve')}">${csrfField(csrf)}<label for="a-res">${ct(lang, 'ticket.resolveNote')}</label><input type="text" id="a-res" name="note" maxlength="1000"><p><button type="submit">${ct(lang, 'ticket.resolve')}</button></p></form>`}
</div>`;
}

export function ticketActions(app: Hono<ConsoleEnv>, d: TicketActionDeps): void {
  app.post('/tickets/:number/:action', requireRole('technician'), async (c) => {
    const lang = c.get('lang');
    const number = c.req.param('number');
    const action = c.req.param('action') as Action;
    if (!ACTIONS.includes(action)) return c.notFound();
    const form = await formOf(c);
    const tech = technicianOf(c.get('user'));
    const text = (form.text ?? '').trim();
    const invalid = (): QueueResult => ({ ok: false, message: ct(lang, 'ticket.invalidInput') });
    let result: QueueResult;
    switch (action) {
      case 'claim':
        result = await d.queue.claim(number, tech);
        break;
      case 'release':
        result = await d.queue.release(number, tech);
        break;
      case 'reply':
        result = text ? await d.queue.reply(number, tech, text) : invalid();
        break;
      case 'note':
        result = text ? await d.queue.note(number, tech, text) : invalid();
        break;
      case 'time': {
        const minutes = Number(form.minutes);
        const activity = (form.activity ?? '').trim();
        result = Number.isInteger(minutes) && minutes > 0 && minutes <= 1440 && activity ? await d.queue.logTime(number, tech, minutes, activity) : invalid();
        break;
      }
      case 'offer':
        result = await d.queue.offerCallout(number, tech);
        break;
      case 'visit': {
        const at = parseLocalDateTime(form.at ?? '', d.timezone);
        result = at ? await d.queue.bookVisit(number, tech, at, { free: form.free === '1' }) : invalid();
        break;
      }
      case 'resolve':
        result = await d.queue.resolve(number, tech, (form.note ?? '').trim() || undefined);
        break;
    }
    const params = new URLSearchParams({ msg: result.message, ok: result.ok ? '1' : '0' });
    return c.redirect(`/console/tickets/${encodeURIComponent(number)}?${params.toString()}`, 303);
  });

  // The live page: every second, the ticket's messages after the last one the page has.
  app.get('/tickets/:number/events', async (c) => {
    const lang = c.get('lang');
    const ticketId = await ticketIdByNumber(d.prisma, c.req.param('number'));
    if (!ticketId) return c.notFound();
    let after = Number.parseInt(c.req.header('last-event-id') ?? c.req.query('after') ?? '0', 10) || 0;
    return streamSSE(c, async (stream) => {
      // One wake-up for the stop and the browser leaving, however long the page stays open.
      let wake: (() => void) | null = null;
      const onEnd = () => wake?.();
      d.stopping.addEventListener('abort', onEnd, { once: true });
      stream.onAbort(onEnd);
      try {
        while (!stream.aborted && !stream.closed && !d.stopping.aborted) {
          for (const m of await ticketMessagesAfter(d.prisma, ticketId, after)) {
            after = m.id;
            await stream.writeSSE({ id: String(m.id), data: JSON.stringify(historyItem(m, lang, d.timezone)) });
          }
          let timer: NodeJS.Timeout | undefined;
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, d.pollMs ?? 1000);
          });
          clearTimeout(timer);
        }
      } finally {
        d.stopping.removeEventListener('abort', onEnd);
      }
    });
  });
}
