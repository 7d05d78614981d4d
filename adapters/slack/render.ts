/**
 * Linka -> Slack payloads: a ticket card laid out as Block Kit (header, state, fields,
 * summary, buttons), with a plain-text fallback for notifications; text escaped for mrkdwn.
 */
import type { types } from '@slack/bolt';
import type { CardAction, TicketCard } from '../../src/domain/ticket-card.js';

type KnownBlock = types.KnownBlock;
type Button = types.Button;

/** The action_id of a card button: linka_claim, linka_release, linka_resolve, linka_offer. */
export function actionId(action: CardAction): string {
  return `linka_${action}`;
}

/** The card action of an action_id, or null when it is not one of Linka's buttons. */
export function cardActionOf(id: string): CardAction | null {
  const m = /^linka_(claim|release|resolve|offer)$/.exec(id);
  return m ? (m[1] as CardAction) : null;
}

/** Escapes the three characters Slack's mrkdwn treats as markup. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts `text` to `max` characters (Slack refuses longer block texts). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Slack's limits on the parts of a card. */
const LIMITS = { header: 150, section: 3000, field: 2000, button: 75, fieldsPerSection: 10, fallback: 3000 } as const;

const STATE_ICON: Record<TicketCard['status'], string> = { open: '🟡', claimed: '🔵', resolved: '✅' };

export interface SlackCardPayload {
  /** The notification and screen-reader fallback. */
  text: string;
  blocks: KnownBlock[];
}

/** Lays a ticket card out as Block Kit. The buttons carry the ticket number as their value. */
export function renderTicketCard(card: TicketCard): SlackCardPayload {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(card.title, LIMITS.header), emoji: true } },
    {
      type: 'section',
      block_id: 'linka_state',
      text: { type: 'mrkdwn', text: clip(`${STATE_ICON[card.status]} *${escapeSlack(card.state)}*`, LIMITS.section) },
    },
  ];
  for (let i = 0; i < card.fields.length; i += LIMITS.fieldsPerSection) {
    blocks.push({
      type: 'section',
      fields: card.fields
        .slice(i, i + LIMITS.fieldsPerSection)
        .map((f) => ({ type: 'mrkdwn' as const, text: clip(`*${escapeSlack(f.label)}*\n${escapeSlack(f.value)}`, LIMITS.field) })),
    });
  }
  if (card.summary.trim()) {
    blocks.push({ type: 'section', block_id: 'linka_summary', text: { type: 'mrkdwn', text: clip(escapeSlack(card.summary), LIMITS.section) } });
  }
  if (card.actions.length) {
    blocks.push({
      type: 'actions',
      block_id: 'linka_actions',
      elements: card.actions.map(
        (a): Button => ({
          type: 'button',
          action_id: actionId(a.action),
          text: { type: 'plain_text', text: clip(a.label, LIMITS.button), emoji: true },
          value: card.number,
          ...(a.style === 'default' ? {} : { style: a.style }),
        }),
      ),
    });
  }
  return { text: clip(`${card.title} · ${card.state}`, LIMITS.fallback), blocks };
}

/** A line of Linka's own text for a thread or the channel: escaped so "<" and "&" show as typed. */
export function renderText(text: string): string {
  return clip(escapeSlack(text), 39_000);
}
