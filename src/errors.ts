/**
 * Every code a {@link LinkaError} may carry: a closed list, so a misspelt code fails the
 * typecheck where it is thrown and where it is compared (`err.code === 'outage_not_found'`).
 * A new kind of failure adds its code here.
 */
export const ERROR_CODES = [
  // Configuration, environment and start-up (src/config, src/store/database-url.ts, the CLI).
  'config_missing',
  'config_unreadable',
  'config_invalid',
  'env_missing',
  'env_invalid',
  'bad_database_url',
  'file_unreadable',
  'usage',
  // Database migrations (src/store/migration-ledger.ts).
  'migration_checksum_mismatch',
  'migration_missing',
  'migration_failed',
  // Imports (src/import) and the statement's customer (src/cli/statement.ts).
  'csv_invalid',
  'balances_invalid',
  'customer_not_found',
  // The dispatcher and the outbox (src/runtime).
  'conversation_conflict',
  'engine_loop',
  'unknown_effect',
  'ticket_missing',
  'card_missing',
  'channel_off',
  // Platform calls: platformError() below, a rate limit still running (src/runtime/rate-limit.ts), the set-up commands.
  'platform_failed',
  'rate_limited',
  'undeliverable',
  'held_back',
  'telegram_failed',
  'discord_failed',
  // Outages and planned maintenance.
  'outage_invalid',
  'outage_not_found',
  'outage_resolved',
  'maintenance_invalid',
  'maintenance_not_found',
  'maintenance_cancelled',
  'maintenance_over',
  // The technicians' queue from the command line (src/cli/time.ts): the queue's own answer.
  'time_refused',
  'visit_refused',
] as const;

/** A {@link LinkaError}'s code (see {@link ERROR_CODES}). */
export type LinkaErrorCode = (typeof ERROR_CODES)[number];

/**
 * The one base error (docs/architecture.md, rule 8): a `code` from a closed list, an optional `cause`; platform
 * failures carry the platform's name; rate limits carry `retryAfterMs`.
 * Bad user input is not an exception: the flow asks again.
 */
export class LinkaError extends Error {
  constructor(
    readonly code: LinkaErrorCode,
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
export function platformError(
  platform: string,
  cause: unknown,
  opts: { retryAfterMs?: number; rateLimitScope?: 'target' | 'channel'; permanent?: boolean } = {},
): LinkaError {
  const msg = cause instanceof Error ? cause.message : String(cause);
  const code = opts.retryAfterMs !== undefined ? 'rate_limited' : opts.permanent ? 'undeliverable' : 'platform_failed';
  return new LinkaError(code, `${platform}: ${msg}`, { cause, platform, ...opts });
}
