/**
 * The envelope of one inbound event, as the adapters hand it to the dispatcher (and the outbox's
 * `dispatch` items carry it): its own module, so that what queues an event for a conversation
 * (src/services/offers.ts) need not import the dispatcher that processes it.
 */
import type { Channel, CoreEvent, Lang } from './types.js';

/** One inbound event with what the runtime needs around it. */
export interface InboundEnvelope {
  /** The platform's own id, for de-duplication: "telegram:update:123", "twilio:SM...", "timer:<id>". */
  dedupeId: string;
  /** Opaque "<platform>:<native id>". */
  conversationId: string;
  channel: Channel;
  event: CoreEvent;
  /**
   * What the platform tells about the sender. `lang`: a language the sender chose outside the
   * chat (`linka shell --lang`), taken as their explicit choice for this conversation, as if
   * they had switched language in it (the customer's record keeps its language). Later events
   * need not repeat it; a switch in the chat overrides it. `email`: the sender's address (lower-cased),
   * by which a customer is found when the conversation has none.
   */
  sender?: { phone?: string; telegramId?: string; langHint?: string; lang?: Lang; email?: string };
  platformMessageId?: string;
  /** For a button press: the platform's id of the message the button was on (Telegram). */
  buttonMessageId?: string;
}
