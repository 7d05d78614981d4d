/**
 * The configuration file's schema (YAML, validated with zod). Secrets never live
 * here: they come from the environment (see src/config/env.ts).
 * Every key is documented in linka.config.example.yaml.
 */
import { validate } from 'node-cron';
import { z } from 'zod';
import { OFFICE_HOURS, windowsProblem } from '../domain/business-time.js';
import { BUILT_IN_FAQ_IDS } from '../engine/faq.js';
import { normalize } from '../shared/normalize.js';
import { DEADLINE_FORMS, deadlineText, parseDeadline } from '../domain/deadlines.js';
import { parseLeadTime } from '../domain/maintenance.js';
import { mailboxAddress } from '../domain/mail.js';
import { billingSchema, tierTermShape } from './billing-schema.js';
import { textOverrideProblems } from '../domain/text-overrides.js';

const lang = z.enum(['cs', 'sk', 'en']);
const positiveInt = z.number().int().positive();

// Service-level working hours ('HH:MM', 24-hour; 24:00 ends the day).
const timeOfDay = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a time of day "HH:MM" (24-hour), such as "08:30"');
const weekday = z
  .number()
  .int('a day 1-7 (1 = Monday ... 7 = Sunday)')
  .min(1, 'a day 1-7 (1 = Monday ... 7 = Sunday)')
  .max(7, 'a day 1-7 (1 = Monday ... 7 = Sunday)');
const officeHours = { days: [...OFFICE_HOURS.days], from: OFFICE_HOURS.from, to: OFFICE_HOURS.to };
const workingWindow = z
  .strictObject({
    days: z.array(weekday).min(1, 'at least one day 1-7 (1 = Monday ... 7 = Sunday)').default(officeHours.days),
    from: timeOfDay.default(officeHours.from),
    to: timeOfDay.default(officeHours.to),
  })
  .refine((h) => !timeOfDay.safeParse(h.from).success || !timeOfDay.safeParse(h.to).success || h.from < h.to, {
    message: '"to" must be later than "from"',
    path: ['to'],
  });
const workingHours = z.union(
  [
    z.literal('always'),
    workingWindow,
    z
      .array(workingWindow)
      .min(1, 'at least one window { days, from, to }, or "always"')
      .superRefine((windows, ctx) => {
        // Overlaps only: a window's own mistakes have their issue already (and would make no sense here).
        if (!windows.every((w) => timeOfDay.safeParse(w.from).success && timeOfDay.safeParse(w.to).success && w.from < w.to)) return;
        if (!windows.every((w) => w.days.every((d) => weekday.safeParse(d).success))) return;
        const problem = windowsProblem(windows);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
  ],
  '"always" (24/7) or working hours { days, from, to }, or a list of such windows',
);

/** A reaction or resolution deadline in the grammar of src/domain/deadlines.ts, written back its one way ("8 hours" -> "8h"). */
const deadline = z.string('a deadline in quotes with its unit, such as "8h" or "3 working days"').transform((text, ctx) => {
  const rule = parseDeadline(text);
  if (rule) return deadlineText(rule);
  ctx.addIssue({ code: 'custom', message: DEADLINE_FORMS });
  return z.NEVER;
});

/**
 * A service tier. `reactionHours` (a number of hours) is the older name of `reaction` and is
 * read as `reaction: "<n>h"`; the validated tier has `reaction` and `resolution` only.
 */
const tier = z
  .strictObject({
    /** Until a technician must react (src/domain/deadlines.ts); null: no guaranteed reaction. */
    reaction: deadline.nullable().optional(),
    /** The older form of `reaction`: hours of the tier's working time; null: none. */
    reactionHours: z.number().positive().nullable().optional(),
    /** Until the ticket must be resolved, written like `reaction`; null: none promised. */
    resolution: deadline.nullable().default(null),
    /** Hours of work included per month (used first, never rolled over to the next month). */
    includedHours: z.number().min(0).default(0),
    /** When the clock runs: 'always' (24/7), working days and hours (default Mon-Fri 08:30-17:00), or a list of such windows. */
    hours: workingHours.default(officeHours),
    ...tierTermShape,
  })
  .superRefine((t, ctx) => {
    if (t.reaction !== undefined && t.reactionHours !== undefined)
      ctx.addIssue({ code: 'custom', message: '"reaction" and its older name "reactionHours" both given; keep "reaction"', path: ['reaction'] });
  })
  .transform(({ reaction, reactionHours, ...rest }) => ({
    reaction: reaction !== undefined ? reaction : reactionHours != null ? `${reactionHours}h` : null,
    ...rest,
  }));

export const configSchema = z
  .strictObject({
    company: z
      .strictObject({
        name: z.string().min(1).default('Linka ISP'),
        // Empty: none. The texts that offer it leave that sentence out, and `linka serve` warns.
        helpdeskPhone: z.string().trim().default(''),
      })
      .prefault({}),
    timezone: z.string().min(1).refine(isTimeZone, 'an IANA time zone such as Europe/Prague').default('Europe/Prague'),
    defaultLanguage: lang.default('cs'),
    teamLanguage: lang.default('cs'),
    phoneRegion: z.string().length(2).default('CZ'),
    checklist: z
      .strictObject({
        waitMinutes: z.number().positive().max(60).default(3),
        followUpMinutes: z
          .number()
          .positive()
          .max(24 * 60)
          .default(30),
        maxFollowUps: z.number().int().min(0).max(5).default(1),
      })
      .prefault({}),
    identification: z
      .strictObject({
        maxContractTries: positiveInt.max(10).default(3),
      })
      .prefault({}),
    tickets: z
      .strictObject({
        prefix: z
          .string()
          .regex(/^[A-Z]{1,5}$/, 'one to five capital letters')
          .default('T'),
      })
      .prefault({}),
    workers: z
      .strictObject({
        outboxPollMs: positiveInt.default(500),
        timerPollMs: positiveInt.default(1000),
        batchSize: positiveInt.max(1000).default(50),
        leaseSeconds: positiveInt.default(60),
      })
      .prefault({}),
    outbox: z
      .strictObject({
        maxAttempts: positiveInt.max(50).default(8),
        backoffBaseMs: positiveInt.default(2000),
        backoffMaxMs: positiveInt.default(600_000),
      })
      .prefault({}),
    /**
     * The platforms' rate limits, kept by each process's outbox worker (see src/runtime/rate-limit.ts).
     * With several processes, give each its share: the limits divided by the number of processes.
     */
    rateLimits: z
      .strictObject({
        telegram: z
          .strictObject({
            /** Messages per second for the whole bot. */
            perSecond: positiveInt.default(25),
            /** Messages per second to one chat. */
            perChatPerSecond: positiveInt.default(1),
          })
          .prefault({}),
        sms: z
          .strictObject({
            /** Messages per second from the sending number (TWILIO_FROM), as the Twilio account allows. */
            perNumberPerSecond: positiveInt.default(1),
          })
          .prefault({}),
        slack: z
          .strictObject({
            /** Messages per second into the queue channel (cards, threads, digests, notices). */
            perChannelPerSecond: positiveInt.default(1),
          })
          .prefault({}),
        discord: z
          .strictObject({
            /** Messages per `windowSeconds` into the queue channel. */
            perChannel: positiveInt.default(5),
            windowSeconds: positiveInt.default(5),
          })
          .prefault({}),
      })
      .prefault({}),
    tiers: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,30}$/, 'a tier name of letters, digits, _ or -'), tier).default({
      none: { reaction: null, resolution: null, includedHours: 0, hours: officeHours },
      STANDARD: { reaction: '24h', resolution: null, includedHours: 1, hours: officeHours },
      PLUS: { reaction: '8h', resolution: null, includedHours: 3, hours: officeHours },
      VIP: { reaction: '4h', resolution: null, includedHours: 6, hours: 'always' },
    }),
    /** The company's calendar for service levels counted in business time. */
    calendar: z
      .strictObject({
        /** Public holidays of this country are days off ('CZ', 'SK'); null: none. */
        holidays: z.enum(['CZ', 'SK'], 'CZ, SK or null').nullable().default('CZ'),
        /** Company closures (local dates YYYY-MM-DD) that are days off too. */
        closures: z.array(z.string().refine(isDate, 'a date YYYY-MM-DD such as "2026-12-31"')).default([]),
      })
      .prefault({}),
    sla: z
      .strictObject({
        /** The fraction of the reaction (or resolution) time, in business minutes, used when the team is warned. */
        warnAt: z.number().gt(0, 'a fraction above 0 and below 1, such as 0.75').lt(1, 'a fraction above 0 and below 1, such as 0.75').default(0.75),
      })
      .prefault({}),
    team: z
      .strictObject({
        /** Thread messages starting with this stay internal (not sent to the customer). */
        notePrefix: z.string().min(1).default('note:'),
        /** Re-announce an unclaimed ticket after this many minutes... */
        reannounceMinutes: z.number().positive().default(30),
        /** ...at most this many times. */
        reannounceMax: z.number().int().min(0).default(3),
        /**
         * When the technicians answer (the grammar of a tier's `hours`; the company's calendar applies).
         * The greeting says so, and a customer handed to a technician outside them is told when to expect an answer.
         */
        hours: workingHours.default(officeHours),
        /** Cron expressions (in `timezone`) of the queue digest. */
        digest: z.array(z.string().refine(isCron, 'a cron expression such as "30 8 * * 1-5"')).default(['30 8 * * 1-5', '0 13 * * 1-5']),
      })
      .prefault({}),
    slack: z
      .strictObject({
        /** The channel id (C...) where tickets are posted. */
        queueChannel: z.string().default(''),
        /** The channel id (C...) for outage and maintenance notices; empty: the queue channel. */
        statusChannel: z.string().default(''),
        /** Slack user ids (U...) allowed to act on tickets. */
        technicians: z.array(z.string()).default([]),
        /** A Slack user group id (S...) whose members may act on tickets. */
        technicianGroup: z.string().default(''),
        /** Who is mentioned when a ticket misses its reaction or resolution deadline: user ids (U...) or user group ids (S...). */
        onCall: z.array(z.string().regex(/^[UWS][A-Z0-9]{2,}$/, 'a Slack user id (U...) or user group id (S...)')).default([]),
      })
      .prefault({}),
    discord: z
      .strictObject({
        queueChannel: z.string().default(''),
        /** The channel id for outage and maintenance notices; empty: the queue channel. */
        statusChannel: z.string().default(''),
        /** Discord user ids allowed to act on tickets. */
        technicians: z.array(z.string()).default([]),
        /** Discord role ids whose members may act on tickets. */
        technicianRoles: z.array(z.string()).default([]),
        /** Who is mentioned when a ticket misses its reaction or resolution deadline: user ids, or role ids written "role:<id>". */
        onCall: z.array(z.string().regex(/^(role:)?\d{5,25}$/, 'a Discord user id, or "role:" and a role id')).default([]),
      })
      .prefault({}),
    /** The price list of paid work, travel and prepaid packages (src/config/billing-schema.ts). */
    billing: billingSchema.prefault({}),
    callout: z
      .strictObject({
        /** Hours the customer has to accept a paid call-out offer. */
        offerExpiresHours: z.number().positive().default(24),
        /** A customer asking this many times on the same topic within the window is told further help is paid (docs/domain.md, "Repeated questions"). */
        repeatCount: z
          .number()
          .int()
          .refine((n) => n === 0 || n >= 2, '0 (off), or 2 or more: the ticket that makes this many on one topic gets the warning')
          .default(3),
        repeatWindowDays: z.number().positive().default(30),
        /**
         * True: a checklist answer that points at the customer's side ("only Wi-Fi devices fail")
         * sends the paid call-out offer at once. False (default): the card suggests it and a
         * technician judges (docs/billing.md, "Who judges the fault").
         */
        autoOffer: z.boolean().default(false),
        /** The first minutes of a case's paid diagnostics on the customer's side that are free (0: none; docs/billing.md, "Paid work is agreed first"). */
        freeDiagnosticsMinutes: z.number().int().nonnegative().default(0),
      })
      .prefault({}),
    outages: z
      .strictObject({
        /** A Telegram channel or group chat id that gets every outage notice too (the bot must be a member). */
        telegramChannel: z
          .string()
          .regex(/^(-?\d+|@\w+)?$/, 'a chat id such as -1001234567890 or @channelname')
          .default(''),
        /** How Prometheus Alertmanager alerts (POST /alerts/alertmanager) become outages. */
        alertmanager: z
          .strictObject({
            /** Labels naming the affected area, first present wins; its value may list several, comma-separated. */
            areaLabels: z
              .array(z.string().regex(/^[a-zA-Z_]\w*$/, 'a Prometheus label name'))
              .min(1)
              .default(['area']),
            /** The label naming the affected service(s); missing or unknown: internet. */
            serviceLabel: z
              .string()
              .regex(/^[a-zA-Z_]\w*$/, 'a Prometheus label name')
              .default('service'),
          })
          .prefault({}),
      })
      .prefault({}),
    /** Planned maintenance (`linka maintenance schedule`): when the affected customers are told. */
    maintenance: z
      .strictObject({
        /** How long before the start each notice goes out ("24h", "1h", "30m", "2d"); each once per customer. */
        leadTimes: z.array(z.string().refine((v) => parseLeadTime(v) !== null, 'a lead time such as "24h", "1h" or "30m"')).default(['24h', '1h']),
      })
      .prefault({}),
    /** Payment reminders from the imported balances (`linka balances import`; docs/domain.md, "Payments"). */
    payments: z
      .strictObject({
        /** The day of the month fees are due (the default due date of an imported balance). */
        dueDay: z.number().int().min(1, 'a day 1-28').max(28, 'a day 1-28').default(20),
        /** The hour (0-23, in `timezone`) reminders and warnings go out, from the day after the due date. */
        reminderHour: z.number().int().min(0, 'an hour 0-23').max(23, 'an hour 0-23').default(9),
        /** The warning that the service will be restricted goes out this many days before the month's last day. */
        restrictionWarningDaysBeforeMonthEnd: z.number().int().min(0).max(27).default(3),
        /**
         * What customers are told to write as the variable symbol: `invoice` (the one on their
         * invoice) or `contract` (their contract number). Only `contract` makes Linka say that the
         * contract number is the variable symbol.
         */
        variableSymbol: z.enum(['invoice', 'contract']).default('invoice'),
        /** How many hours after the payment is credited a restricted service comes back; null: "as soon as it is credited". */
        restoreWithinHours: z.number().int().min(1).max(720).nullable().default(null),
      })
      .prefault({}),
    /**
     * E-mail (docs/email.md): sending through SMTP_URL and the support mailbox at IMAP_URL (both in
     * the environment). Off while `from` is empty or SMTP_URL is unset.
     */
    mail: z
      .strictObject({
        /** The sender of every e-mail: an address, optionally with a name ("Podpora Linka ISP <podpora@example.cz>"). */
        from: z
          .string()
          .trim()
          .refine((v) => v === '' || mailboxAddress(v) !== null, 'an e-mail address such as podpora@example.cz or "Podpora <podpora@example.cz>"')
          .default(''),
        /** The company's own address that gets the written copy of every consent to paid work; empty: none. */
        companyAddress: z
          .string()
          .trim()
          .refine((v) => v === '' || mailboxAddress(v) !== null, 'an e-mail address')
          .default(''),
        /** The mailbox folder new mail is read from, and where it is moved once processed. */
        inbox: z.string().trim().min(1).default('INBOX'),
        processedFolder: z.string().trim().min(1).default('Linka/Processed'),
        /** How often the mailbox is read when IDLE is not available or has gone quiet. */
        pollSeconds: positiveInt.max(3600).default(60),
        /** An attachment larger than this is not kept (the ticket says so); all of one e-mail together at most 5 times this. */
        maxAttachmentBytes: positiveInt.default(5 * 1024 * 1024),
        /** Per-sender flood limit of incoming e-mail per hour (0: none): over it, the rest is recorded, not answered. */
        perSenderPerHour: z.number().int().min(0).default(20),
        /**
         * The monthly statement to each customer with an address: the day of the month (1-28) it is
         * sent for the month before, at `payments.reminderHour`; null: only by `linka statement --send`.
         */
        statementDay: z.number().int().min(1, 'a day 1-28').max(28, 'a day 1-28').nullable().default(null),
      })
      .prefault({}),
    sms: z
      .strictObject({
        transliterate: z.boolean().default(true),
        shortText: z.boolean().default(true),
        redeliverFailed: z.boolean().default(true),
        redeliveryDelayMinutes: z.number().positive().default(5),
        /** What one billed segment costs, in minor units of billing.currency (the dashboard's SMS cost); null: not shown. */
        segmentPrice: z.number().int().nonnegative().nullable().default(null),
      })
      .prefault({}),
    /**
     * Per-sender flood limit of inbound customer messages (src/runtime/flood.ts): over it in a
     * minute, the sender gets one notice and their further messages are dropped. 0: no limit.
     * Counted in each process's memory.
     */
    flood: z
      .strictObject({
        smsPerMinute: z.number().int().min(0).default(10),
        telegramPerMinute: z.number().int().min(0).default(20),
      })
      .prefault({}),
    server: z
      .strictObject({
        bodyLimitBytes: positiveInt.default(1_048_576),
        shutdownTimeoutMs: positiveInt.default(10_000),
      })
      .prefault({}),
    /** The operator console at /console (docs/console.md): how long a sign-in lasts. */
    console: z
      .strictObject({
        /** Signed out after this many minutes without a request. */
        idleMinutes: positiveInt.default(60),
        /** Signed out this many hours after signing in, however active. */
        sessionHours: positiveInt.default(12),
      })
      .prefault({}),
    log: z
      .strictObject({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .prefault({}),
    /**
     * Frequent questions answered at once, without a ticket (docs/domain.md, "Frequent questions").
     * `builtIn`: which of Linka's own to answer (mail settings, storm advice, payment details,
     * the technicians' hours); `entries`: the provider's own, keywords and an answer per language
     * (a language left out gets another's answer). An entry with a built-in id replaces it.
     */
    faq: z
      .strictObject({
        builtIn: z.array(z.enum(BUILT_IN_FAQ_IDS, `one of ${BUILT_IN_FAQ_IDS.join(', ')}`)).default([...BUILT_IN_FAQ_IDS]),
        entries: z
          .array(
            z
              .strictObject({
                id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'an id of lower-case letters, digits, _ or - (such as "invoice-copy")'),
                keywords: z
                  .partialRecord(lang, z.array(z.string().trim().min(2, 'a keyword of at least 2 characters')))
                  .refine((k) => Object.values(k).some((words) => words.some((w) => normalize(w).length >= 2)), 'at least one keyword'),
                answer: z
                  .partialRecord(lang, z.string().trim().min(1, 'an empty answer'))
                  .refine((a) => Object.keys(a).length > 0, 'an answer in at least one language (cs, sk or en)'),
              })
              .transform((e) => ({
                ...e,
                keywords: [...new Set(Object.values(e.keywords).flatMap((words) => words.map((w) => normalize(w).replace(/\?/g, '').trim())))].filter(
                  (w) => w.length >= 2,
                ),
              })),
          )
          .refine((entries) => new Set(entries.map((e) => e.id)).size === entries.length, 'two entries with the same id')
          .default([]),
      })
      .prefault({}),
    /**
     * The provider's own flows: a YAML file or a folder of them (docs/flows.md), relative to the
     * configuration file. A flow with the id of a built-in one (internet, main...) takes its place.
     */
    flows: z.string().trim().min(1, 'a YAML file or a folder of them').nullable().default(null),
    /**
     * The provider's own wording: `texts.<lang>["<key>"]` replaces that built-in text (keys and
     * texts: `linka texts list`). Each is checked: the key exists, the placeholders are the
     * built-in text's, an `@sms` variant fits the built-in one's SMS segments.
     */
    texts: z
      .partialRecord(z.enum(['cs', 'sk', 'en']), z.record(z.string(), z.string().trim().min(1, 'an empty text; remove the key to keep the built-in one')))
      .default({}),
  })
  .superRefine((config, ctx) => {
    for (const problem of textOverrideProblems(config.texts, { transliterate: config.sms.transliterate }))
      ctx.addIssue({ code: 'custom', message: problem, path: [] });
  });

/** The validated configuration. */
export type LinkaConfig = z.infer<typeof configSchema>;

function isCron(expr: string): boolean {
  return validate(expr);
}

function isDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
