/**
 * What the runtime tells the engine each customer channel can do (CHANNEL_CAPABILITIES in
 * src/runtime/dispatch.ts), for tests that drive the pure engine "on" a channel without
 * loading the runtime. test/capabilities.test.ts checks that the two agree.
 */
import type { Channel, ChannelCapabilities } from '../../src/engine/types.js';

export const ON: Readonly<Record<Channel, ChannelCapabilities>> = {
  telegram: { contactShare: true, billedPerSegment: false, menu: true },
  sms: { contactShare: false, billedPerSegment: true, menu: true },
  console: { contactShare: false, billedPerSegment: false, menu: true },
  email: { contactShare: false, billedPerSegment: false, menu: false },
};
