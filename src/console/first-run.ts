/**
 * The first run: with no admin account yet, `linka serve` makes a one-time set-up link (valid
 * until used, or for 24 hours) and logs it in one line. The link is a secret: it is written
 * nowhere else (docs/console.md, "First run").
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../observability/logger.js';
import { adminExists, createSetupToken } from '../store/operators.js';
import type { PrismaClient } from '../store/types.js';
import { sha256 } from './auth.js';

export const SETUP_TOKEN_HOURS = 24;

/**
 * A set-up token: 64 letters a-p (32 random bytes). Letters only, so the log's scrubbing of
 * phone numbers and bot tokens (runs of digits) never masks part of it.
 */
export function newSetupToken(): string {
  return [...randomBytes(32)].map((b) => String.fromCharCode(97 + (b >> 4), 97 + (b & 15))).join('');
}

/** Makes and logs the set-up link when no admin exists; returns the link (null: an admin exists). */
export async function announceFirstRun(a: { prisma: PrismaClient; clock: () => Date; log: Logger; baseUrl: string }): Promise<string | null> {
  if (await adminExists(a.prisma)) return null;
  const token = newSetupToken();
  const now = a.clock();
  await createSetupToken(a.prisma, sha256(token), now, new Date(now.getTime() + SETUP_TOKEN_HOURS * 3_600_000));
  const link = `${a.baseUrl.replace(/\/+$/, '')}/console/setup?token=${token}`;
  a.log.warn(`no console admin yet: create the first one at ${link} (one-time link, valid for ${SETUP_TOKEN_HOURS} h; keep it secret)`);
  return link;
}
