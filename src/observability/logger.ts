/**
 * Structured logs (pino) with tokens, secrets and phone numbers redacted: JSON lines, or for a
 * person at a terminal the same records as readable lines (pino-pretty).
 */
import { pino } from 'pino';

export type Logger = pino.Logger;

/** Keys whose values never reach a log line. */
const REDACT = [
  'token',
  'secret',
  'password',
  'authorization',
  'authToken',
  'apiKey',
  'phone',
  'from',
  'to',
  '*.token',
  '*.secret',
  '*.password',
  '*.authorization',
  '*.authToken',
  '*.apiKey',
  '*.phone',
  '*.from',
  '*.to',
  'headers.authorization',
  'headers["x-telegram-bot-api-secret-token"]',
  'headers["x-twilio-signature"]',
];

/** Telegram bot tokens, Slack tokens, Twilio-like secrets and phone numbers inside any text. */
const PATTERNS: Array<[RegExp, string]> = [
  [/(?<!\d)\d{6,12}:[A-Za-z0-9_-]{30,}/g, '[token]'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, '[token]'],
  [/(?<![\w/])\+?\d[\d ]{7,16}\d(?!\w)/g, '[phone]'],
];

/** Masks secrets and phone numbers in strings, deeply (bounded), leaving other values as they are. */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return PATTERNS.reduce((s, [re, mask]) => s.replace(re, mask), value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { type: value.name, message: scrub(value.message, depth + 1) };
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, scrub(v, depth + 1)]));
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'linka' },
      redact: { paths: REDACT, censor: '[redacted]' },
      formatters: { log: (obj) => scrub(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

/** JSON lines for a log collector, or readable lines for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT as read (json, pretty or auto): auto is pretty when standard output is a terminal. */
export function logFormatFor(setting: 'json' | 'pretty' | 'auto', stdoutIsTerminal: boolean): LogFormat {
  return setting === 'auto' ? (stdoutIsTerminal ? 'pretty' : 'json') : setting;
}

/**
 * The server's logger on standard output, in `format`. The readable form is the same records,
 * redacted the same way, formatted by pino-pretty in this thread (synchronously, so the last
 * line before an exit is not lost): time, level, message, then the record's fields.
 */
export async function createConsoleLogger(level: string, format: LogFormat): Promise<Logger> {
  if (format === 'json') return createLogger(level);
  const { default: pretty } = await import('pino-pretty');
  return createLogger(
    level,
    pretty({ colorize: Boolean(process.stdout.isTTY), sync: true, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss', ignore: 'pid,hostname,app' }),
  );
}

/** A logger that writes nothing (tests, the shell). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
