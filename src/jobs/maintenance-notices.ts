/**
 * Every minute: the planned maintenance notices that are due (lead-time notices, "moved",
 * cancellations, and the team channel posts); see src/services/maintenance.ts.
 */
import type { LinkaConfig } from '../config/schema.js';
import { createMaintenance, leadTimesOf } from '../services/maintenance.js';
import type { TeamJobDeps } from './digest.js';

/** The schedules' dependencies plus the customer channels that are on (telegram, sms). */
/** `mailbox`: the support mailbox is read (IMAP_URL), so composed mails may invite a reply. */
export type NoticeJobDeps = TeamJobDeps & { customerChannels?: readonly string[]; mailbox?: boolean };

/** One round; returns how many customer notices were queued. */
export async function sendMaintenanceNotices(deps: NoticeJobDeps, config: LinkaConfig): Promise<number> {
  const maintenance = createMaintenance({
    prisma: deps.prisma,
    clock: deps.clock,
    timezone: config.timezone,
    teamLanguage: deps.teamLanguage,
    leadTimes: leadTimesOf(config),
  });
  return maintenance.sendDue({
    teamPlatforms: deps.teamPlatforms,
    customerChannels: deps.customerChannels ?? [],
    telegramChannel: config.outages.telegramChannel || null,
    shortSms: config.sms.shortText,
    onQueued: deps.onQueued,
  });
}
