/** The environment variables of the contract (docs/architecture.md, "The contract"), read in one place. */

/** Server and database settings from the environment. */
export interface ServerEnv {
  port: number;
  host: string;
  publicUrl: string | null;
  databaseUrl: string | undefined;
  /** LOG_FORMAT: json, pretty, or (unset) pretty when standard output is a terminal and JSON otherwise. */
  logFormat: 'json' | 'pretty' | 'auto';
}

/** How a person runs the `linka` command here (`./linka` in a clone, set by bin/linka.js), for hints. */
export function cliName(env: NodeJS.ProcessEnv = process.env): string {
  return env.LINKA_CLI || 'linka';
}

function logFormatOf(value: string | undefined): ServerEnv['logFormat'] {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'auto') return 'auto';
  if (v === 'json' || v === 'pretty') return v;
  throw new Error(`LOG_FORMAT must be json or pretty (or unset: pretty on a terminal, JSON otherwise), got "${value}"`);
}

export function readServerEnv(env: NodeJS.ProcessEnv = process.env): ServerEnv {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST || '127.0.0.1',
    publicUrl: env.PUBLIC_URL || null,
    databaseUrl: env.DATABASE_URL || undefined,
    logFormat: logFormatOf(env.LOG_FORMAT),
  };
}
