/** Console (terminal shell) input -> CoreEvent. Conversation ids are "console:<name>". */
import type { CoreEvent } from '../../src/engine/types.js';

/** Encodes a console conversation id. */
export function consoleConversationId(name: string): string {
  return `console:${name}`;
}

/** Decodes a console conversation id; null when it is not one. */
export function consoleNameOf(conversationId: string): string | null {
  return conversationId.startsWith('console:') ? conversationId.slice('console:'.length) : null;
}

/** A typed line as the customer's event: "/start 2024-0153" is a start with a payload, anything else text. */
export function parseConsoleLine(line: string): CoreEvent {
  const start = /^\/start(?:\s+(\S+))?\s*$/.exec(line.trim());
  if (start) return start[1] ? { kind: 'start', payload: start[1] } : { kind: 'start' };
  return { kind: 'text', text: line };
}
