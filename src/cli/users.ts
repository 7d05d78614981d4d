/**
 * `linka users add|list|disable|reset-password`: the operator console's accounts from the
 * command line (docs/console.md, "Users"). A password is read from standard input when one is
 * piped in (its first line); otherwise (a terminal, or nothing on the input) one is generated
 * and printed once.
 */
import { accountProblem, USERNAME } from '../console/sign-in.js';
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH } from '../console/password.js';
import { ROLES, type Role } from '../console/auth.js';
import { LinkaError } from '../errors.js';
import { isLang, LANGS } from '../shared/lang.js';
import { createOperator, deleteSessionsOf, listOperators, operatorByUsername, updateOperator } from '../store/operators.js';
import { isUniqueViolation } from '../store/types.js';
import { type CliIo, withDatabase } from './command.js';

export interface UsersAddOptions {
  role: string;
  name?: string;
  language?: string;
  slack?: string;
  discord?: string;
}

/** The first line piped to standard input, or null (a terminal, no input, or an empty line). */
async function pipedPassword(io: CliIo): Promise<string | null> {
  const input = io.input as (NodeJS.ReadableStream & { isTTY?: boolean }) | undefined;
  if (!input || input.isTTY) return null;
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.includes('\n') || text.length > 4096) break;
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  return line === '' ? null : line;
}

/** The password to set: piped in (checked), or generated and printed once. */
async function passwordFor(io: CliIo, username: string): Promise<{ password: string; generated: boolean }> {
  const piped = await pipedPassword(io);
  if (piped !== null) {
    if (piped.length < MIN_PASSWORD_LENGTH) throw new LinkaError('usage', `the password must be at least ${MIN_PASSWORD_LENGTH} characters long`);
    return { password: piped, generated: false };
  }
  const password = generatePassword();
  io.out(`password for ${username} (shown once, give it to them safely): ${password}`);
  return { password, generated: true };
}

function checkedUsername(typed: string): string {
  const username = typed.trim().toLowerCase();
  if (!USERNAME.test(username)) throw new LinkaError('usage', `"${typed}" is not a username: lowercase letters a-z, digits, ".", "-", "_" (2-40 characters)`);
  return username;
}

export async function usersAdd(typed: string, opts: UsersAddOptions, io: CliIo): Promise<number> {
  const username = checkedUsername(typed);
  if (!(ROLES as readonly string[]).includes(opts.role)) throw new LinkaError('usage', `--role must be one of ${ROLES.join(', ')}`);
  const language = opts.language ?? 'cs';
  if (!isLang(language)) throw new LinkaError('usage', `--language must be one of ${LANGS.join(', ')}`);
  const displayName = opts.name?.trim() || username;
  return withDatabase(io.env, async (db) => {
    if (await operatorByUsername(db.prisma, username)) throw new LinkaError('usage', `the user ${username} exists already`);
    const { password } = await passwordFor(io, username);
    const problem = accountProblem('en', { username, displayName, password });
    if (problem) throw new LinkaError('usage', problem);
    try {
      await createOperator(db.prisma, {
        username,
        displayName,
        role: opts.role as Role,
        language,
        passwordHash: await hashPassword(password),
        slackId: opts.slack ?? null,
        discordId: opts.discord ?? null,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new LinkaError('usage', 'that username, Slack id or Discord id belongs to another user already');
      throw err;
    }
    io.out(`added ${username} (${opts.role})`);
    return 0;
  });
}

export async function usersList(io: CliIo): Promise<number> {
  return withDatabase(io.env, async (db) => {
    const users = await listOperators(db.prisma);
    if (users.length === 0) {
      io.out('no users yet (linka users add NAME --role admin, or the set-up link in the log of linka serve)');
      return 0;
    }
    const rows = users.map((u) => [
      u.username,
      u.displayName,
      u.role,
      u.language,
      u.disabledAt ? 'disabled' : 'active',
      [u.slackId ? `slack:${u.slackId}` : '', u.discordId ? `discord:${u.discordId}` : ''].filter(Boolean).join(' ') || '-',
    ]);
    const header = ['username', 'name', 'role', 'language', 'state', 'linked'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
    for (const r of [header, ...rows])
      io.out(
        r
          .map((cell, i) => cell.padEnd(widths[i] as number))
          .join('  ')
          .trimEnd(),
      );
    return 0;
  });
}

/** Disables the account and signs it out everywhere. */
export async function usersDisable(typed: string, io: CliIo): Promise<number> {
  const username = checkedUsername(typed);
  return withDatabase(io.env, async (db) => {
    const user = await operatorByUsername(db.prisma, username);
    if (!user) throw new LinkaError('usage', `there is no user ${username} (see linka users list)`);
    await updateOperator(db.prisma, user.id, { disabledAt: user.disabledAt ?? new Date() });
    const ended = await deleteSessionsOf(db.prisma, user.id);
    io.out(`disabled ${username}; ${ended} session(s) ended`);
    return 0;
  });
}

/** Sets a new password (piped in, or generated) and signs the account out everywhere. */
export async function usersResetPassword(typed: string, io: CliIo): Promise<number> {
  const username = checkedUsername(typed);
  return withDatabase(io.env, async (db) => {
    const user = await operatorByUsername(db.prisma, username);
    if (!user) throw new LinkaError('usage', `there is no user ${username} (see linka users list)`);
    const { password } = await passwordFor(io, username);
    await updateOperator(db.prisma, user.id, { passwordHash: await hashPassword(password) });
    const ended = await deleteSessionsOf(db.prisma, user.id);
    io.out(`new password set for ${username}; ${ended} session(s) ended`);
    return 0;
  });
}
