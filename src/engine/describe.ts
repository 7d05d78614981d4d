/** How an inbound event reads in the history (pure; used by the runtime to record it). */
import { t } from '../messages/index.js';
import type { FlowDef } from './flow.js';
import type { ConversationState, CoreEvent } from './types.js';

/** The history line of an inbound event, or null for internal events (timers, feedback). */
export function describeInbound(
  state: ConversationState | null,
  event: CoreEvent,
  flows: Readonly<Record<string, FlowDef>>,
): { kind: string; text: string } | null {
  switch (event.kind) {
    case 'text':
      return { kind: 'text', text: event.text };
    case 'choice': {
      const def = state ? flows[state.flow]?.steps[state.step] : undefined;
      const choices = def && 'choices' in def ? (def.choices ?? []) : def?.kind === 'input' ? (def.quick ?? []) : [];
      const choice = choices.find((c) => c.id === event.choiceId);
      return { kind: 'choice', text: choice ? t(state?.lang ?? 'cs', choice.label) : `[${event.choiceId}]` };
    }
    case 'start':
      return { kind: 'text', text: event.payload ? `/start ${event.payload}` : '/start' };
    case 'contact':
      return { kind: 'contact', text: `[contact ${event.phone}${event.own ? '' : ' (not own)'}]` };
    case 'media':
      return {
        kind: event.mediaKind === 'photo' ? 'photo' : 'media',
        text: `[${event.mediaKind}${event.fileId ? ` ${event.fileId}` : ''}]${event.caption ? ` ${event.caption}` : ''}`,
      };
    case 'mail':
      // A reply in a ticket's thread is its words; a new e-mail starts with its subject.
      return { kind: 'text', text: event.ticket === null && event.subject.trim() ? `${event.subject.trim()}\n\n${event.text}` : event.text };
    default:
      return null;
  }
}
