/** `linka serve` (npm start): the HTTP server and the workers, until SIGTERM or SIGINT. */
import { type CliIo, configOf } from './command.js';

/** Signals this soon after the first are the same request (npm forwards the terminal's Ctrl-C). */
const SAME_REQUEST_MS = 2000;

export async function serveCommand(io: CliIo): Promise<number> {
  const config = configOf(io);
  const { startLinka } = await import('../app.js');
  // The handlers are in place before the server starts: a SIGTERM that arrives while it starts,
  // or just after "linka is serving", stops it cleanly once it is up (not Node's default exit).
  // Ctrl-C on `npm start` delivers SIGINT twice (the terminal's to the process group, and npm's
  // forwarding): signals within two seconds of the first are that same request and are only
  // logged. After that, a repeated signal is a person insisting: the first is logged with how to
  // force the exit, the next forces it (leases then run out by themselves, see docs/operations.md).
  let linka: Awaited<ReturnType<typeof startLinka>> | null = null;
  let received: string | null = null;
  let firstAt = 0;
  let insisted = 0;
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
    if (!received) {
      received = signal;
      firstAt = Date.now();
      return shutdown(signal);
    }
    if (Date.now() - firstAt < SAME_REQUEST_MS || insisted === 0) {
      if (Date.now() - firstAt >= SAME_REQUEST_MS) insisted += 1;
      linka?.log.warn({ signal }, insisted ? 'already stopping; send the signal once more to force the exit' : 'already stopping');
      return;
    }
    linka?.log.error({ signal }, 'forced exit before the stop finished');
    process.exit(130);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  linka = await startLinka({ config, env: io.env });
  if (received) shutdown(received);
  // Keeps running: the process exits from the signal handlers.
  return 0;
}
