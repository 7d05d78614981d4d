/**
 * The runtime: the dispatcher plus the outbox and timer workers, built from the
 * configuration, a database and the channel ports.
 */
import { techniciansAnswerFrom } from '../domain/business-time.js';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { LinkaConfig } from '../config/schema.js';
import type { EngineSettings } from '../engine/types.js';
import { faqEntries, loadFlowSet, providerTexts } from '../config/flows.js';
import { flowVersions } from './flow-versions.js';
import { useTexts } from '../messages/index.js';
import type { PrismaClient, Tx } from '../store/types.js';
import { dispatch, type DispatchDeps, type DispatchResult, type InboundEnvelope } from './dispatch.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { mailDeliverer, OutboxWorker, replyDeliverer, type Deliverer } from './outbox-worker.js';
import type { ChannelPort, MailPort, TeamPort } from './ports.js';
import { createQueue, type Queue } from '../services/queue.js';
import { createOutages, type Outages } from '../services/outages.js';
import { createMaintenance, leadTimesOf, type Maintenances } from '../services/maintenance.js';
import type { OfferSettings } from '../services/offers.js';
import { holdBackMail, holdBackPort, holdBackTeamPort, RateLimiter, type RateRules } from './rate-limit.js';
import { deliverTeamItem } from './deliver-team-posts.js';
import { reactionDeadline, resolutionDeadline, type SlaCalendar } from '../domain/sla.js';
import { TimerWorker } from './timer-worker.js';

export interface Runtime {
  /** A name unique to this process, used for row leases. */
  owner: string;
  dispatchDeps: DispatchDeps;
  /** The technicians' actions on tickets. */
  queue: Queue;
  /** Declaring, updating and resolving outages, with their notices. */
  outages: Outages;
  /** Planned maintenance (schedule, cancel, reschedule, list); its notices go out at once. */
  maintenance: Maintenances;
  /** `extra` runs in the dispatch's transaction (the mailbox records its message there). */
  dispatch(env: InboundEnvelope, extra?: (tx: Tx) => Promise<void>): Promise<DispatchResult>;
  outbox: OutboxWorker;
  timers: TimerWorker;
  ports: Map<string, ChannelPort>;
  start(): void;
  stop(): Promise<void>;
}

/** The company's calendar of service levels: its time zone, public holidays and closures. */
export function slaCalendar(config: LinkaConfig): SlaCalendar {
  return { timeZone: config.timezone, holidays: config.calendar.holidays, closures: config.calendar.closures };
}

/** The paid call-out's and the price list's settings from the configuration (the runtime, `linka time`). */
export function offerSettings(config: LinkaConfig, teamPlatforms: readonly string[]): OfferSettings {
  return {
    ...config.billing,
    ...config.callout,
    timezone: config.timezone,
    tiers: config.tiers,
    teamLanguage: config.teamLanguage,
    defaultLanguage: config.defaultLanguage,
    teamPlatforms: [...teamPlatforms],
  };
}

/** The engine's settings from the configuration. */
export function engineSettings(config: LinkaConfig): EngineSettings {
  return {
    waitMinutes: config.checklist.waitMinutes,
    followUpMinutes: config.checklist.followUpMinutes,
    maxFollowUps: config.checklist.maxFollowUps,
    maxIdTries: config.identification.maxContractTries,
    helpdeskPhone: config.company.helpdeskPhone || null,
    companyName: config.company.name,
    teamLanguage: config.teamLanguage,
    shortSms: config.sms.shortText,
    teamHours: config.team.hours,
    ticketPrefix: config.tickets.prefix,
    faq: faqEntries(config),
    paymentDueDay: config.payments.dueDay,
  };
}

export function createRuntime(args: {
  prisma: PrismaClient;
  config: LinkaConfig;
  log: Logger;
  ports?: ChannelPort[];
  teamPorts?: TeamPort[];
  /** E-mail's sending side (SMTP), for composed messages; none: e-mail is off. */
  mail?: MailPort | null;
  /** Whether the support mailbox is read (IMAP_URL): composed mails invite a reply only then. */
  mailbox?: boolean;
  metrics?: Metrics;
  clock?: () => Date;
  /**
   * The platforms' rate limits the outbox keeps: `rateRules(config.rateLimits)` where the
   * ports are the real platforms (startLinka, the fan-out bench); none by default, for
   * ports that only record (tests) or print (the shell).
   */
  rateLimits?: RateRules;
}): Runtime {
  const { prisma, config, log, metrics } = args;
  // The provider's flows and own wording (config `flows:` and `texts:`), for everything this process says.
  const flows = loadFlowSet(config.flows).flows;
  const texts = providerTexts(config);
  useTexts(texts);
  const clock = args.clock ?? (() => new Date());
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const ports = new Map<string, ChannelPort>((args.ports ?? []).map((p) => [p.channel, p]));
  const teamPorts = new Map<string, TeamPort>((args.teamPorts ?? []).map((p) => [p.platform, p]));
  const teamPlatforms = [...teamPorts.keys()];
  const leaseMs = config.workers.leaseSeconds * 1000;
  const deliverers = new Map<string, Deliverer>();
  const limiter = new RateLimiter(args.rateLimits ?? {});
  const outbox = new OutboxWorker({
    prisma,
    deliverers,
    clock,
    owner,
    log,
    metrics,
    limiter,
    teamLanguage: config.teamLanguage,
    settings: { pollMs: config.workers.outboxPollMs, batchSize: config.workers.batchSize, leaseMs, ...config.outbox },
  });
  const wake = () => outbox.wake();
  const offers: OfferSettings = {
    ...offerSettings(config, teamPlatforms),
    mail: {
      on: Boolean(args.mail),
      companyAddress: config.mail.companyAddress || null,
      companyName: config.company.name,
      timezone: config.timezone,
      teamLanguage: config.teamLanguage,
      repliesRead: args.mailbox === true,
    },
  };
  const dispatchDeps: DispatchDeps = {
    offers,
    prisma,
    engine: { flows, settings: engineSettings(config) },
    ticketPrefix: config.tickets.prefix,
    timezone: config.timezone,
    clock,
    onQueued: wake,
    onTicketOpened: (category) => metrics?.ticketsOpened.inc({ category }),
    teamPlatforms,
    hours: { timezone: config.timezone, prices: config.billing, tiers: config.tiers, freeDiagnosticsMinutes: config.callout.freeDiagnosticsMinutes },
    deadlineFor: (tier, openedAt) => reactionDeadline(config.tiers, tier, openedAt, slaCalendar(config)),
    techniciansFrom: (tier, at) => {
      const tierDef = config.tiers[tier];
      const tierCalendar = tierDef?.reaction ? { ...slaCalendar(config), hours: tierDef.hours } : null;
      return techniciansAnswerFrom(at, { ...slaCalendar(config), hours: config.team.hours }, tierCalendar);
    },
    flowVersions: flowVersions(prisma, flows, texts),
    resolutionDeadlineFor: (tier, openedAt) => resolutionDeadline(config.tiers, tier, openedAt, slaCalendar(config)),
    restriction: { variableSymbol: config.payments.variableSymbol, restoreWithinHours: config.payments.restoreWithinHours },
  };
  // The deliverers' ports check a 429's pause just before each platform call.
  const heldTeamPorts = new Map([...teamPorts].map(([platform, port]) => [platform, holdBackTeamPort(limiter, port)]));
  const team = { prisma, teamPorts: heldTeamPorts, clock, timezone: config.timezone, teamLanguage: config.teamLanguage, autoOffer: config.callout.autoOffer };
  deliverers.set('reply', replyDeliverer(prisma, new Map([...ports].map(([channel, port]) => [channel, holdBackPort(limiter, port)]))));
  for (const kind of ['team.post', 'team.update', 'team.thread', 'team.channel']) deliverers.set(kind, (item) => deliverTeamItem(team, item));
  deliverers.set('mail', mailDeliverer(prisma, args.mail ? holdBackMail(limiter, args.mail) : null));
  deliverers.set('dispatch', async (item) => {
    await dispatch(dispatchDeps, (item.payload as unknown as { envelope: InboundEnvelope }).envelope);
    return {};
  });
  const outages = createOutages({
    prisma,
    clock,
    timezone: config.timezone,
    teamLanguage: config.teamLanguage,
    teamPlatforms,
    customerChannels: [...ports.keys()],
    telegramChannel: config.outages.telegramChannel || null,
    shortSms: config.sms.shortText,
    transliterate: config.sms.transliterate,
    onQueued: wake,
  });
  const maintenance = createMaintenance({
    prisma,
    clock,
    timezone: config.timezone,
    teamLanguage: config.teamLanguage,
    leadTimes: leadTimesOf(config),
    delivery: {
      teamPlatforms,
      customerChannels: [...ports.keys()],
      telegramChannel: config.outages.telegramChannel || null,
      shortSms: config.sms.shortText,
      onQueued: wake,
    },
  });
  const queue = createQueue({ prisma, clock, teamPlatforms, teamLanguage: config.teamLanguage, onQueued: wake, offers, timezone: config.timezone });
  const timers = new TimerWorker({ dispatch: dispatchDeps, owner, pollMs: config.workers.timerPollMs, leaseMs, batchSize: config.workers.batchSize, log });
  return {
    owner,
    dispatchDeps,
    queue,
    outages,
    maintenance,
    ports,
    outbox,
    timers,
    async dispatch(env, extra) {
      const result = await dispatch(dispatchDeps, env, extra);
      if (!result.duplicate) metrics?.inbound.inc({ channel: env.channel });
      return result;
    },
    start() {
      outbox.start();
      timers.start();
    },
    async stop() {
      await Promise.all([outbox.stop(), timers.stop()]);
    },
  };
}
