// The scheduled statements (config mail.statementDay; src/jobs/statement-mails.ts): on its day the
// job queues last month's statement e-mails as `linka statement --send` does, once per customer and
// month, and nothing while e-mail is off.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../src/config/load.js';
import { previousMonth, sendMonthlyStatements, statementCron } from '../src/jobs/statement-mails.js';
import type { Db } from '../src/store/client.js';
import { createTestDatabase } from './helpers/db.js';
import { seedStatementFixture, STATEMENT_CONFIG } from './fixtures/statement-fixture.js';

describe('monthly statements by e-mail on a schedule', () => {
  let database: { db: Db; drop(): Promise<void> };
  const config = parseConfig({ ...(parse(STATEMENT_CONFIG) as object), mail: { from: 'Podpora <podpora@example.test>', statementDay: 2 } });
  // 2 December 2026, 09:00 in Prague: November's statements are due.
  const now = new Date('2026-12-02T08:00:00Z');

  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
    await seedStatementFixture(database.db.prisma);
    await database.db.prisma.customer.update({ where: { contractNumber: '2024-0153' }, data: { email: 'jan@example.test' } });
  });
  afterEach(async () => database?.drop());

  const deps = (channels: string[]) => ({
    prisma: database.db.prisma,
    clock: () => now,
    teamPlatforms: [],
    teamLanguage: 'cs' as const,
    customerChannels: channels,
  });

  it('runs on its day at the reminder hour, for the month before', () => {
    expect(statementCron(config)).toBe(`0 ${config.payments.reminderHour} 2 * *`);
    expect(statementCron(parseConfig({}))).toBeNull();
    expect(previousMonth(now, 'Europe/Prague')).toBe('2026-11');
    expect(previousMonth(new Date('2027-01-01T08:00:00Z'), 'Europe/Prague')).toBe('2026-12');
  });

  it('queues each statement once, and nothing while e-mail is off', async () => {
    expect(await sendMonthlyStatements(deps(['telegram']), config)).toEqual([]);
    expect(await database.db.prisma.outboxItem.count({ where: { kind: 'mail' } })).toBe(0);
    expect(await sendMonthlyStatements(deps(['telegram', 'email']), config)).toEqual(['2024-0153']);
    const item = await database.db.prisma.outboxItem.findFirstOrThrow({ where: { kind: 'mail' } });
    const mail = (item.payload as { mail: { to: string[]; subject: string } }).mail;
    expect([mail.to, mail.subject]).toEqual([['jan@example.test'], 'Přehled práce techniků za listopad 2026']);
    expect(await sendMonthlyStatements(deps(['telegram', 'email']), config)).toEqual([]);
    expect(await database.db.prisma.outboxItem.count({ where: { kind: 'mail' } })).toBe(1);
  });
});
