/**
 * Every day at config payments.reminderHour: payment reminders and restriction warnings to
 * customers with an outstanding balance (see src/services/payments.ts).
 */
import type { LinkaConfig } from '../config/schema.js';
import { paymentSettings, sendPaymentNotices } from '../services/payments.js';
import type { NoticeJobDeps } from './maintenance-notices.js';

/** The cron expression of the daily round, in config.timezone. */
export function paymentCron(config: LinkaConfig): string {
  return `0 ${config.payments.reminderHour} * * *`;
}

/** One round; returns the contract numbers reminded and warned. */
export function sendPaymentReminders(deps: NoticeJobDeps, config: LinkaConfig): Promise<{ reminded: string[]; warned: string[] }> {
  return sendPaymentNotices(
    {
      prisma: deps.prisma,
      clock: deps.clock,
      customerChannels: deps.customerChannels ?? [],
      shortSms: config.sms.shortText,
      companyName: config.company.name,
      onQueued: deps.onQueued,
    },
    paymentSettings(config),
  );
}
