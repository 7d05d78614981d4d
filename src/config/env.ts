/** The environment variables of the contract (docs/architecture.md, "The contract"), read in one place. */

/** Server and database settings from the environment. */
export interface ServerEnv {
  port: number;
  host: string;
  publicUrl: string | null;
  databaseUrl: string | undefined;
}

export function readServerEnv(env: NodeJS.ProcessEnv = process.env): ServerEnv {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST || '127.0.0.1',
    publicUrl: env.PUBLIC_URL || null,
    databaseUrl: env.DATABASE_URL || undefined,
  };
}
