// LinkaError codes are a closed list (src/errors.ts ERROR_CODES): a misspelt code is a type error.
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, LinkaError, platformError } from '../src/errors.js';

describe('LinkaError codes', () => {
  it('are listed once each, in snake case', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(ERROR_CODES.filter((c) => !/^[a-z]+(_[a-z]+)*$/.test(c))).toEqual([]);
  });

  it('refuse a code that is not listed (checked by the typecheck: npx tsc --noEmit)', () => {
    // @ts-expect-error 'outage_notfound' is not a LinkaErrorCode: the typo fails the typecheck.
    const typo = new LinkaError('outage_notfound', 'x');
    expect(typo.code).toBe('outage_notfound');
    const err = new LinkaError('outage_not_found', 'no outage 7');
    // @ts-expect-error comparing with a code that does not exist is a type error too.
    expect(err.code === 'outage_missing').toBe(false);
  });

  it('gives platform failures the listed codes', () => {
    expect(platformError('slack', new Error('x')).code).toBe('platform_failed');
    expect(platformError('slack', new Error('x'), { retryAfterMs: 5 }).code).toBe('rate_limited');
    expect(platformError('slack', new Error('x'), { permanent: true }).code).toBe('undeliverable');
    expect(ERROR_CODES).toEqual(expect.arrayContaining(['platform_failed', 'rate_limited', 'undeliverable']));
  });
});
