/** A message of a ticket's history as the page and its live stream show it. */
import { localTime } from '../domain/date-format.js';
import type { Lang } from '../shared/lang.js';
import type { Message } from '../store/types.js';
import { ct } from './texts.js';

/** A message of the history as the page and the live events show it: kind (CSS class), who and when, text. */
export function historyItem(m: Pick<Message, 'id' | 'direction' | 'status' | 'createdAt' | 'text' | 'channel'>, lang: Lang, timezone: string) {
  const failed = m.status === 'failed' || m.status === 'undelivered';
  const who = ct(lang, m.direction === 'in' ? 'ticket.from.in' : m.direction === 'out' ? 'ticket.from.out' : 'ticket.from.system');
  const meta = `${who} · ${m.channel} · ${localTime(m.createdAt, timezone, lang)}${failed ? ` · ${ct(lang, 'ticket.deliveryFailed')}` : ''}`;
  return { id: m.id, kind: failed ? 'failed' : m.direction, meta, text: m.text };
}
