/** Reply -> SMS text: the message, then the choices as short numbered lines ("1 Ano"); GSM-7 when asked. */
import { toGsm7 } from '../../src/domain/sms.js';
import type { Reply } from '../../src/engine/types.js';

/** How SMS text is written (config `sms`). */
export interface SmsRenderOptions {
  /** Transliterate to the GSM-7 alphabet (160 characters a segment instead of 70). */
  transliterate: boolean;
}

/** Renders a reply as the body of one SMS (Twilio splits and joins long ones). */
export function renderSms(reply: Reply, opts: SmsRenderOptions): string {
  const lines = [reply.text.trim()];
  if (reply.choices?.length) lines.push(...reply.choices.map((c, i) => `${i + 1} ${c.label}`));
  const text = lines.filter((l) => l !== '').join('\n');
  return opts.transliterate ? toGsm7(text) : text;
}
