// Every test process may talk to loopback only: any other connection throws before a DNS look-up.
import net from 'node:net';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\]|::ffff:127\.\d+\.\d+\.\d+)$/;
const original = net.Socket.prototype.connect;

type ConnectArgs = Parameters<typeof original>;

function hostOf(args: unknown[]): string | undefined {
  // net.connect passes its arguments as one array: [options, listener].
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) {
    const o = first as { host?: string; path?: string };
    if (o.path) return undefined; // a unix socket
    return o.host ?? 'localhost';
  }
  if (typeof first === 'number') return typeof args[1] === 'string' ? args[1] : 'localhost';
  return undefined; // a path string: unix socket
}

net.Socket.prototype.connect = function patched(this: net.Socket, ...args: ConnectArgs) {
  const host = hostOf(args as unknown[]);
  if (host !== undefined && !LOOPBACK.test(host)) {
    throw new Error(`test tried to connect to ${host}: only loopback is allowed`);
  }
  return original.apply(this, args);
} as typeof original;
