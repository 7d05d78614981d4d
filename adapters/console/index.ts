/** The console channel: a person chats as a customer in the terminal (`linka shell`). */
import type { ChannelPort } from '../../src/runtime/ports.js';
import { consoleNameOf } from './parse.js';
import { renderConsole } from './render.js';

export { consoleConversationId, parseConsoleLine } from './parse.js';
export { renderConsole } from './render.js';

/** Creates the console port; `write` receives each rendered bot message. */
export function createConsoleAdapter(config: { write: (text: string, conversationId: string) => void }): ChannelPort {
  let seq = 0;
  return {
    channel: 'console',
    async send(conversationId, reply) {
      if (consoleNameOf(conversationId) === null) throw new Error(`not a console conversation: ${conversationId}`);
      config.write(renderConsole(reply), conversationId);
      seq += 1;
      return { platformMessageId: `console-${Date.now()}-${seq}` };
    },
  };
}
