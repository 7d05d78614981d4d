/**
 * The operator console's accounts, sessions, sign-in attempts and set-up links
 * (docs/console.md). Tokens are stored only as their SHA-256; the callers hash them.
 */
import type { DbClient, PrismaClient } from './types.js';
import type { OperatorSession, OperatorUser } from '../generated/sqlite/client.js';

export type { OperatorSession, OperatorUser };

/** What a new account is made of. */
export interface NewOperator {
  username: string;
  displayName: string;
  role: string;
  passwordHash: string;
  language?: string;
  slackId?: string | null;
  discordId?: string | null;
}

export function createOperator(db: DbClient, user: NewOperator): Promise<OperatorUser> {
  return db.operatorUser.create({ data: { ...user, language: user.language ?? 'cs' } });
}

export function operatorByUsername(db: DbClient, username: string): Promise<OperatorUser | null> {
  return db.operatorUser.findUnique({ where: { username } });
}

export function listOperators(db: DbClient): Promise<OperatorUser[]> {
  return db.operatorUser.findMany({ orderBy: { username: 'asc' } });
}

/** Whether an admin account that is not disabled exists. */
export async function adminExists(db: DbClient): Promise<boolean> {
  return (await db.operatorUser.count({ where: { role: 'admin', disabledAt: null } })) > 0;
}

export function updateOperator(
  db: DbClient,
  id: string,
  data: Partial<Pick<OperatorUser, 'displayName' | 'role' | 'passwordHash' | 'language' | 'disabledAt' | 'slackId' | 'discordId'>>,
): Promise<OperatorUser> {
  return db.operatorUser.update({ where: { id }, data });
}

// Sessions.

export function createSession(
  db: DbClient,
  s: { id: string; userId: string; csrfToken: string; now: Date; expiresAt: Date; ip: string | null; userAgent: string | null },
): Promise<OperatorSession> {
  return db.operatorSession.create({
    data: { id: s.id, userId: s.userId, csrfToken: s.csrfToken, createdAt: s.now, lastSeenAt: s.now, expiresAt: s.expiresAt, ip: s.ip, userAgent: s.userAgent },
  });
}

export function sessionWithUser(db: DbClient, id: string): Promise<(OperatorSession & { user: OperatorUser }) | null> {
  return db.operatorSession.findUnique({ where: { id }, include: { user: true } });
}

export async function touchSession(db: DbClient, id: string, now: Date): Promise<void> {
  await db.operatorSession.updateMany({ where: { id }, data: { lastSeenAt: now } });
}

export async function deleteSession(db: DbClient, id: string): Promise<void> {
  await db.operatorSession.deleteMany({ where: { id } });
}

/** Signs the user out everywhere: every session of theirs. Returns how many there were. */
export async function deleteSessionsOf(db: DbClient, userId: string): Promise<number> {
  return (await db.operatorSession.deleteMany({ where: { userId } })).count;
}

/** Removes sessions that ended (absolute expiry passed, or idle since `idleBefore`). */
export async function deleteEndedSessions(db: DbClient, now: Date, idleBefore: Date): Promise<number> {
  return (await db.operatorSession.deleteMany({ where: { OR: [{ expiresAt: { lte: now } }, { lastSeenAt: { lt: idleBefore } }] } })).count;
}

// Sign-in attempts (throttling).

export async function recordLoginAttempt(db: DbClient, a: { username: string; ip: string; at: Date; ok: boolean }): Promise<void> {
  await db.loginAttempt.create({ data: a });
}

/**
 * Failed attempts since `since`, for the account and for the address: each counted after the
 * account's (or address's) last successful sign-in.
 */
export async function failedAttempts(db: DbClient, username: string, ip: string, since: Date): Promise<{ account: number; address: number }> {
  const lastOk = async (where: { username: string } | { ip: string }) =>
    (await db.loginAttempt.findFirst({ where: { ...where, ok: true, at: { gte: since } }, orderBy: { at: 'desc' } }))?.at ?? since;
  const [account, address] = await Promise.all([
    lastOk({ username }).then((from) => db.loginAttempt.count({ where: { username, ok: false, at: { gte: from } } })),
    lastOk({ ip }).then((from) => db.loginAttempt.count({ where: { ip, ok: false, at: { gte: from } } })),
  ]);
  return { account, address };
}

/** Forgets attempts older than `before` (they no longer count). */
export async function pruneLoginAttempts(db: DbClient, before: Date): Promise<void> {
  await db.loginAttempt.deleteMany({ where: { at: { lt: before } } });
}

// Set-up links.

export async function createSetupToken(db: DbClient, id: string, now: Date, expiresAt: Date): Promise<void> {
  await db.setupToken.create({ data: { id, createdAt: now, expiresAt } });
}

/** Whether the link is usable now (not used, not expired). */
export async function setupTokenValid(db: DbClient, id: string, now: Date): Promise<boolean> {
  return (await db.setupToken.count({ where: { id, usedAt: null, expiresAt: { gt: now } } })) === 1;
}

/**
 * Creates the first admin with the link, once: the link is marked used in the same transaction,
 * conditionally, so of two submissions exactly one makes an account. Null when the link is not
 * usable (used, expired, unknown) or an admin exists already.
 */
export async function useSetupToken(prisma: PrismaClient, id: string, now: Date, user: NewOperator): Promise<OperatorUser | null> {
  return prisma.$transaction(async (tx) => {
    const used = await tx.setupToken.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (used.count !== 1) return null;
    if (await adminExists(tx)) return null;
    const created = await createOperator(tx, { ...user, role: 'admin' });
    // Every other link is spent too: the first admin exists.
    await tx.setupToken.updateMany({ where: { usedAt: null }, data: { usedAt: now } });
    return created;
  });
}
