/**
 * What every `linka` command is: a function of its arguments and its input/output, returning
 * the exit code. Its arguments are parsed already (src/cli/index.ts, commander); a usage mistake
 * the command finds itself throws LinkaError('usage') (printed with the command's usage line,
 * exit 2); any other failure throws and exits 1. Commands read the environment only
 * from `io.env`, so a test can run them with its own.
 */
import { readFileSync } from 'node:fs';
import { providerTexts } from '../config/flows.js';
import { loadConfig } from '../config/load.js';
import type { LinkaConfig } from '../config/schema.js';
import { LinkaError } from '../errors.js';
import { useTexts } from '../messages/index.js';
import { defaultDatabaseUrl, openDatabase, type Db } from '../store/client.js';
import { applyMigrations } from '../store/migrate.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  /** One line on standard output. */
  out(line: string): void;
  /** Text on standard output as it is (a CSV or JSON document). */
  write(text: string): void;
  /** One line on standard error (a warning or a usage mistake), after "linka: ". */
  err(line: string): void;
  /** Text on standard error as it is (the usage line after a mistake). */
  writeErr(text: string): void;
  /** Standard input (the customer's lines in `linka shell`). */
  input?: NodeJS.ReadableStream;
  /** Standard output as a stream, for line editing when it is a terminal. */
  output?: NodeJS.WritableStream;
  /** Whether standard input and output are a terminal: `linka shell` then edits lines and keeps a history. */
  terminal?: boolean;
}

/** The terminal's own input and output, with the process's environment. */
export function processIo(): CliIo {
  return {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    write: (text) => process.stdout.write(text),
    err: (line) => process.stderr.write(`linka: ${line}\n`),
    writeErr: (text) => process.stderr.write(text),
    input: process.stdin,
    output: process.stdout,
    terminal: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  };
}

/** The configuration file the environment names (LINKA_CONFIG), checked. */
export function configOf(io: Pick<CliIo, 'env'>): LinkaConfig {
  const { config } = loadConfig(io.env);
  // What the command says to customers and technicians (notices, statements) is in the provider's wording.
  useTexts(providerTexts(config));
  return config;
}

/**
 * Runs `work` on the database the environment names (DATABASE_URL; an empty one counts as
 * unset, as for `linka serve`), migrated first, and closes it however `work` ends.
 */
export async function withDatabase<T>(env: NodeJS.ProcessEnv, work: (db: Db) => Promise<T>): Promise<T> {
  const url = env.DATABASE_URL || defaultDatabaseUrl();
  await applyMigrations(url);
  const db = await openDatabase(url);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** The text of a file named on the command line; a file that cannot be read is a clear error. */
export function readInputFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new LinkaError('file_unreadable', `cannot read ${file}: ${(err as Error).message}`);
  }
}
