/** `linka serve` (npm start): the HTTP server and the workers, until SIGTERM or SIGINT. */
import { LinkaError } from '../errors.js';
import { type CliCommand, configOf } from './command.js';

export const serveCommand: CliCommand = async (args, io) => {
  if (args.length) throw new LinkaError('usage', `linka serve takes no arguments, not "${args[0]}"`);
  const config = configOf(io);
  const { startLinka } = await import('../app.js');
  // The handlers are in place before the server starts: a SIGTERM that arrives while it starts,
  // or just after "linka is serving", stops it cleanly once it is up (not Node's default exit).
  let linka: Awaited<ReturnType<typeof startLinka>> | null = null;
  let received: string | null = null;
  const shutdown = (signal: string) => {
    if (!linka) return;
    linka.log.info({ signal }, 'shutting down');
    void linka.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        linka?.log.error({ err: String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: string) => {
    if (received) return;
    received = signal;
    shutdown(signal);
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  linka = await startLinka({ config, env: io.env });
  if (received) shutdown(received);
  // Keeps running: the process exits from the signal handlers.
  return 0;
};
