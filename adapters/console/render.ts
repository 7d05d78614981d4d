/** Reply -> terminal text: the message, then the choices as numbered lines. */
import type { Reply } from '../../src/engine/types.js';

export function renderConsole(reply: Reply): string {
  const lines = [reply.text];
  if (reply.choices?.length) lines.push('', ...reply.choices.map((c, i) => `  [${i + 1}] ${c.label}`));
  return lines.join('\n');
}
