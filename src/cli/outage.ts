/**
 * `linka outage start|update|resolve|list`: outages from the command line, on the same
 * database as the server. The notices are written to the outbox in the same transaction as
 * the outage; the running server (`linka serve`) sends them. Which customer and team
 * channels get them follows this process's environment, read like the server reads it, so
 * run it with the server's environment.
 */
import { userInfo } from 'node:os';
import { loadChannels } from '../channels.js';
import { cliName } from '../config/env.js';
import type { LinkaConfig } from '../config/schema.js';
import { parseLocalDateTime } from '../domain/business-time.js';
import { OUTAGE_SERVICES, OUTAGE_STATUSES, type OutageStatus } from '../domain/outages.js';
import { operatorTime } from '../domain/date-format.js';
import { LinkaError } from '../errors.js';
import { silentLogger } from '../observability/logger.js';
import { createOutages, outageView, type OutageInput, type OutagePatch, type OutageResult, type OutageRow, type Outages } from '../services/outages.js';
import { type CliIo, configOf, withDatabase } from './command.js';

/** The options of `linka outage ...` (parsed in src/cli/index.ts). */
export interface OutageOptions {
  area?: string[];
  service?: string[];
  title?: string;
  status?: string;
  eta?: string;
  textCs?: string;
  textSk?: string;
  textEn?: string;
  key?: string;
  json?: boolean;
}

const usage = (why: string) => new LinkaError('usage', why);

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** "2026-11-24 14:30" in the company's time zone, or an ISO instant with its offset; "none" clears. */
function parseEta(text: string, timeZone: string): Date | null {
  if (/^(none|-)$/i.test(text.trim())) return null;
  const at = ISO_INSTANT.test(text.trim()) ? new Date(text.trim()) : parseLocalDateTime(text, timeZone);
  if (!at || Number.isNaN(at.getTime())) throw usage(`--eta: "${text}" is not a time; write 2026-11-24 14:30 (${timeZone}) or 2026-11-24T14:30:00+01:00`);
  return at;
}

function parseStatus(text: string): OutageStatus {
  const s = text.trim().toLowerCase();
  if (!(OUTAGE_STATUSES as readonly string[]).includes(s)) throw usage(`--status must be one of ${OUTAGE_STATUSES.join(', ')}, not "${text}"`);
  return s as OutageStatus;
}

function parseServices(list: string[]): string[] {
  const services = list
    .flatMap((s) => s.split(','))
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = services.filter((s) => !(OUTAGE_SERVICES as readonly string[]).includes(s));
  if (unknown.length) throw usage(`--service must be one of ${OUTAGE_SERVICES.join(', ')}, not "${unknown.join(', ')}"`);
  return [...new Set(services)];
}

const parseAreas = (list: string[]) => [
  ...new Set(
    list
      .flatMap((a) => a.split(','))
      .map((a) => a.trim())
      .filter(Boolean),
  ),
];

function textsOf(v: OutageOptions): OutageInput['texts'] {
  const texts: Record<string, string> = {};
  for (const [lang, text] of [
    ['cs', v.textCs],
    ['en', v.textEn],
    ['sk', v.textSk],
  ] as const) {
    const value = text?.trim();
    if (value) texts[lang] = value;
  }
  return Object.keys(texts).length ? texts : undefined;
}

/** One outage in a line or two, for people. */
export function describeOutage(o: OutageRow, timeZone: string): string {
  const list = (v: unknown) => (Array.isArray(v) ? v.join(', ') : '');
  const parts = [
    o.title ? `"${o.title}"` : '(no title)',
    `areas ${list(o.areas)}`,
    `services ${list(o.services)}`,
    `status ${o.status}`,
    `since ${operatorTime(o.startedAt, timeZone)}`,
    ...(o.estimatedEndAt ? [`expected end ${operatorTime(o.estimatedEndAt, timeZone)}`] : []),
    ...(o.resolvedAt ? [`resolved ${operatorTime(o.resolvedAt, timeZone)}`] : []),
    `source ${o.source}`,
  ];
  return `${o.id}  ${parts.join(' · ')}`;
}

interface Setup {
  outages: Outages;
  customerChannels: string[];
  teamPlatforms: string[];
  config: LinkaConfig;
  /** How the person runs linka here (./linka in a clone). */
  cli: string;
}

/** What happened to the notices, in words. */
function noticeLines(r: OutageResult, s: Setup): string[] {
  if (!r.changed) return ['Nothing changed, so no notice was queued.'];
  const lines: string[] = [];
  const channels = Object.entries(r.byChannel)
    .map(([channel, n]) => `${n} on ${channel === 'sms' ? 'SMS' : channel === 'telegram' ? 'Telegram' : channel}`)
    .join(', ');
  if (r.notified > 0) lines.push(`Customer notices queued: ${r.notified} (${channels}).`);
  else if (s.customerChannels.length)
    lines.push(`Customer notices queued: none (nobody on ${s.customerChannels.join(', ')} in these areas had not been told yet).`);
  else
    lines.push(
      "Customer notices queued: none, because no customer channel is on in this environment (Telegram: TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET; SMS: TWILIO_* and PUBLIC_URL); run this command with the server's environment. Customers in these areas who write to Linka are told about the outage when they do.",
    );
  if (s.teamPlatforms.length) lines.push(`The team is told in ${s.teamPlatforms.join(' and ')}.`);
  if (r.notified > 0 || s.teamPlatforms.length) lines.push(`The running server (${s.cli} serve) sends what is queued, within the configured rate limits.`);
  return lines;
}

async function run(sub: string, id: string | undefined, v: OutageOptions, s: Setup, out: (line: string) => void): Promise<number> {
  const tz = s.config.timezone;
  const actor = `cli:${(() => {
    try {
      return userInfo().username;
    } catch {
      return 'unknown';
    }
  })()}`;
  switch (sub) {
    case 'start': {
      const areas = parseAreas(v.area ?? []);
      if (!areas.length) throw usage('--area is required (repeat it, or separate areas with commas)');
      const status = v.status ? parseStatus(v.status) : undefined;
      if (status === 'resolved') throw usage('an outage cannot start resolved');
      const r = await s.outages.declare({
        key: v.key?.trim() || null,
        title: v.title ?? null,
        areas,
        services: parseServices(v.service ?? []),
        status,
        estimatedEndAt: v.eta ? parseEta(v.eta, tz) : null,
        texts: textsOf(v),
        source: 'cli',
        actor,
      });
      const created = r.changed && r.outage.revision === 0;
      out(`${created ? 'Declared' : r.changed ? 'Updated' : 'Already declared'}: ${describeOutage(r.outage, tz)}`);
      for (const line of noticeLines(r, s)) out(line);
      return 0;
    }
    case 'update': {
      const patch: OutagePatch = {
        ...(v.status ? { status: parseStatus(v.status) } : {}),
        ...(v.eta !== undefined ? { estimatedEndAt: parseEta(v.eta, tz) } : {}),
        ...(v.title !== undefined ? { title: v.title } : {}),
        ...(v.area ? { areas: parseAreas(v.area) } : {}),
        ...(v.service ? { services: parseServices(v.service) } : {}),
        ...(textsOf(v) ? { texts: textsOf(v) } : {}),
      };
      if (Object.keys(patch).length === 0) throw usage('nothing to update: give --status, --eta, --title, --area, --service or --text-*');
      const r = await s.outages.update(id as string, patch);
      out(`${r.outage.status === 'resolved' && r.changed ? 'Resolved' : r.changed ? 'Updated' : 'Unchanged'}: ${describeOutage(r.outage, tz)}`);
      for (const line of noticeLines(r, s)) out(line);
      return 0;
    }
    case 'resolve': {
      const r = await s.outages.resolve(id as string, actor);
      out(`${r.changed ? 'Resolved' : 'Was already resolved'}: ${describeOutage(r.outage, tz)}`);
      for (const line of noticeLines(r, s)) out(line);
      return 0;
    }
    case 'list': {
      const rows = await s.outages.active();
      if (v.json) out(JSON.stringify(rows.map(outageView), null, 2));
      else if (!rows.length) out('No outage is in progress.');
      else {
        out(`Outages in progress (${rows.length}):`);
        for (const o of rows) out(describeOutage(o, tz));
      }
      return 0;
    }
    default:
      throw usage(sub ? `unknown outage command "${sub}"` : 'which outage command?');
  }
}

/**
 * Runs `linka outage SUB [ID] ...`; returns the exit code. Usage mistakes throw
 * LinkaError('usage'); other failures (an unknown outage...) are thrown as they are.
 */
export async function outageCommand(sub: string, id: string | undefined, values: OutageOptions, io: CliIo): Promise<number> {
  const { env, out } = io;
  const config = configOf(io);
  // Which channels are on, exactly as the server decides it (their secrets in this environment).
  const { adapters } = await loadChannels(env, config, silentLogger());
  const customerChannels = adapters.flatMap((a) => (a.port ? [a.port.channel] : []));
  const teamPlatforms = adapters.flatMap((a) => (a.team ? [a.team.platform] : []));
  return withDatabase(env, async (db) => {
    const outages = createOutages({
      prisma: db.prisma,
      clock: () => new Date(),
      timezone: config.timezone,
      teamLanguage: config.teamLanguage,
      teamPlatforms,
      customerChannels,
      telegramChannel: config.outages.telegramChannel || null,
      shortSms: config.sms.shortText,
    });
    return await run(sub, id, values, { outages, customerChannels, teamPlatforms, config, cli: cliName(env) }, out);
  });
}
