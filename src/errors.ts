/**
 * The one base error (docs/architecture.md, rule 8): a string `code`, an optional `cause`; platform
 * failures carry the platform's name; rate limits carry `retryAfterMs`.
 * Bad user input is not an exception: the flow asks again.
 */
export class LinkaError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options: { cause?: unknown; platform?: string; retryAfterMs?: number; rateLimitScope?: 'target' | 'channel'; permanent?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LinkaError';
    this.platform = options.platform;
    this.retryAfterMs = options.retryAfterMs;
    this.rateLimitScope = options.rateLimitScope ?? 'channel';
    this.permanent = options.permanent ?? false;
  }

  /** True when retrying cannot help (the user blocked the bot, the number does not exist). */
  readonly permanent: boolean;

  /** The platform whose call failed (telegram, twilio, slack, discord, console). */
  readonly platform: string | undefined;
  /** Set when the platform asked us to wait before retrying. */
  readonly retryAfterMs: number | undefined;
  /**
   * What the platform's rate limit held back: the whole bot or account ('channel', the
   * default), or only this conversation ('target', e.g. a Telegram group's own limit).
   */
  readonly rateLimitScope: 'target' | 'channel';
}

/** Wraps a failure of a platform call, keeping the original as `cause`. */
export function platformError(platform: string, cause: unknown, opts: { retryAfterMs?: number; rateLimitScope?: 'target' | 'channel'; permanent?: boolean } = {}): LinkaError {
  const msg = cause instanceof Error ? cause.message : String(cause);
  const code = opts.retryAfterMs !== undefined ? 'rate_limited' : opts.permanent ? 'undeliverable' : 'platform_failed';
  return new LinkaError(code, `${platform}: ${msg}`, { cause, platform, ...opts });
}
