// The engine never asks which channel it is on: the runtime tells it what the channel can do
// (StepContext.capabilities). The pure engine tests use a copy of the runtime's table.
import { describe, expect, it } from 'vitest';
import { CHANNEL_CAPABILITIES } from '../src/runtime/dispatch.js';
import { ON } from './helpers/capabilities.js';

describe('channel capabilities', () => {
  it('are what the runtime gives the engine: a contact button on Telegram only, short texts on SMS only, no menu by e-mail', () => {
    expect(CHANNEL_CAPABILITIES).toEqual(ON);
    expect(CHANNEL_CAPABILITIES.telegram).toEqual({ contactShare: true, billedPerSegment: false, menu: true });
    expect(CHANNEL_CAPABILITIES.sms).toEqual({ contactShare: false, billedPerSegment: true, menu: true });
    expect(CHANNEL_CAPABILITIES.console).toEqual({ contactShare: false, billedPerSegment: false, menu: true });
    expect(CHANNEL_CAPABILITIES.email).toEqual({ contactShare: false, billedPerSegment: false, menu: false });
  });
});
