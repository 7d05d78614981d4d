/**
 * What the console's dashboard counts over a period [from, to): conversations and how they ended,
 * tickets opened and resolved, service levels, reaction times, satisfaction, SMS segments and the
 * notices of outages and maintenance. Read-only; every figure is a query on the history Linka
 * keeps anyway (docs/console.md, "Dashboard", says what each counts).
 */
import type { DbClient } from './types.js';

export interface Period {
  from: Date;
  to: Date;
}

export interface DashboardRows {
  /** Customer messages that opened a session (a conversation started). */
  sessionsStarted: number;
  /** Sessions ended, by outcome: resolved_by_customer, ticket_opened, abandoned, faq_answered. */
  outcomes: Record<string, number>;
  /** Tickets opened in the period: when, and when the technician first reacted (null: not yet). */
  opened: Array<{ createdAt: Date; firstReactionAt: Date | null }>;
  /** When each ticket resolved in the period was resolved. */
  resolved: Date[];
  /** Reaction and resolution deadlines decided in the period's tickets: met and missed. */
  sla: { met: number; missed: number };
  resolution: { met: number; missed: number };
  /** Satisfaction answers (1-5) of the tickets resolved in the period: count by score. */
  satisfaction: Record<number, number>;
  /** SMS sent in the period: messages and billed segments. */
  sms: { messages: number; segments: number };
  /** Notices sent to customers (not the team's or public channels': "channels", "channel:..."): outages (start, updates, resolved) and planned maintenance. */
  outageNotices: number;
  maintenanceNotices: number;
}

const inPeriod = (p: Period) => ({ gte: p.from, lt: p.to });

export async function dashboardRows(db: DbClient, p: Period): Promise<DashboardRows> {
  const [sessionsStarted, outcomeGroups, opened, resolved, slaGroups, resolutionGroups, satisfactionGroups, sms, outageNotices, maintenanceNotices] =
    await Promise.all([
      db.message.count({ where: { opensSession: true, createdAt: inPeriod(p) } }),
      db.message.groupBy({ by: ['outcome'], where: { outcome: { not: null }, createdAt: inPeriod(p) }, _count: { _all: true } }),
      db.ticket.findMany({ where: { createdAt: inPeriod(p) }, select: { createdAt: true, firstReactionAt: true } }),
      db.ticket.findMany({ where: { resolvedAt: inPeriod(p) }, select: { resolvedAt: true } }),
      db.ticket.groupBy({ by: ['slaMet'], where: { createdAt: inPeriod(p), slaMet: { not: null } }, _count: { _all: true } }),
      db.ticket.groupBy({ by: ['resolutionMet'], where: { createdAt: inPeriod(p), resolutionMet: { not: null } }, _count: { _all: true } }),
      db.ticket.groupBy({ by: ['satisfaction'], where: { resolvedAt: inPeriod(p), satisfaction: { not: null } }, _count: { _all: true } }),
      db.outboxItem.aggregate({ where: { channel: 'sms', status: 'sent', sentAt: inPeriod(p) }, _count: { _all: true }, _sum: { segments: true } }),
      db.outageNotice.count({ where: { createdAt: inPeriod(p), NOT: { recipient: { startsWith: 'channel' } } } }),
      db.maintenanceNotice.count({ where: { createdAt: inPeriod(p), sent: true, NOT: { recipient: 'channels' } } }),
    ]);
  const count = <K extends string>(groups: Array<{ _count: { _all: number } } & Record<K, unknown>>, key: K, value: unknown) =>
    groups.find((g) => g[key] === value)?._count._all ?? 0;
  return {
    sessionsStarted,
    outcomes: Object.fromEntries(outcomeGroups.map((g) => [g.outcome as string, g._count._all])),
    opened,
    resolved: resolved.flatMap((r) => (r.resolvedAt ? [r.resolvedAt] : [])),
    sla: { met: count(slaGroups, 'slaMet', true), missed: count(slaGroups, 'slaMet', false) },
    resolution: { met: count(resolutionGroups, 'resolutionMet', true), missed: count(resolutionGroups, 'resolutionMet', false) },
    satisfaction: Object.fromEntries(satisfactionGroups.map((g) => [g.satisfaction as number, g._count._all])),
    sms: { messages: sms._count._all, segments: sms._sum.segments ?? 0 },
    outageNotices,
    maintenanceNotices,
  };
}
