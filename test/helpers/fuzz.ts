// Hostile-input tools for test/fuzz.test.ts: a seeded random source, mutations of JSON values,
// forms and raw bytes, and a raw HTTP client that sends whatever it is given (any method, any
// content type, bad UTF-8, chunked bodies without a length) and never throws on a refusal.
import http from 'node:http';
import net from 'node:net';

/** A small seeded PRNG (mulberry32): the same seed gives the same requests. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
  string(max = 40): string {
    const alphabet = 'abcXYZ019 _-./:%+&=?#ěščřžýáíéůúťďňĚŠČŘŽ\u0000\n\t"\'\\<>{}[]💥\u202e';
    let s = '';
    for (let i = this.int(max); i > 0; i--) s += alphabet[this.int(alphabet.length)] ?? 'x';
    return s;
  }
}

/** A nested object `depth` levels deep. */
export function deep(depth: number, leaf: unknown = 1): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** Values of the wrong kind, size or encoding, to put where a payload expects something else. */
export function weirdValue(rng: Rng): unknown {
  const choices: Array<() => unknown> = [
    () => null,
    () => true,
    () => false,
    () => 0,
    () => -1,
    () => 1.5,
    () => 2 ** 53 + 2,
    () => -1e308,
    () => 1e21,
    () => '',
    () => ' ',
    () => '\u0000',
    () => '\ud800',
    () => 'ř'.repeat(rng.int(3000)),
    () => '💥'.repeat(rng.int(50)),
    () => '<script>alert(1)</script>',
    () => '%s%n%x',
    () => '{{phone}}',
    () => '../../etc/passwd',
    () => 'NaN',
    () => '12345678901234567890',
    () => [],
    () => ({}),
    () => [[[[]]]],
    () => [1, 'a', null],
    () => JSON.parse('{"__proto__":{"polluted":1}}') as unknown,
    () => ({ constructor: { prototype: { polluted: 1 } } }),
    () => deep(50 + rng.int(400)),
    () => 'x'.repeat(rng.int(20_000)),
    () => rng.string(),
    () => rng.int(1e9),
    () => -rng.int(1e6),
    () => String(rng.int(1e6)),
  ];
  return rng.pick(choices)();
}

type Json = unknown;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every path into a JSON value (objects' keys, arrays' indexes), the root included. */
function paths(v: Json, prefix: Array<string | number> = [], out: Array<Array<string | number>> = [], depth = 0): Array<Array<string | number>> {
  out.push(prefix);
  if (depth > 12) return out;
  if (Array.isArray(v)) for (const [i, item] of v.entries()) paths(item, [...prefix, i], out, depth + 1);
  else if (isObject(v)) for (const [k, item] of Object.entries(v)) paths(item, [...prefix, k], out, depth + 1);
  return out;
}

/** Applies 1-4 random structural mutations (delete, replace, retype, rename, wrap, add) to a copy of `value`. */
export function mutateJson(value: Json, rng: Rng): Json {
  let root: Json = structuredClone(value);
  for (let n = 1 + rng.int(4); n > 0; n--) {
    const all = paths(root);
    const path = rng.pick(all);
    const parentPath = path.slice(0, -1);
    const key = path[path.length - 1];
    let parent: unknown = root;
    for (const p of parentPath) parent = (parent as Record<string | number, unknown>)[p];
    const current = key === undefined ? root : (parent as Record<string | number, unknown>)[key];
    const op = rng.int(7);
    let next: unknown = current;
    if (op === 0) next = weirdValue(rng);
    else if (op === 1)
      next =
        typeof current === 'string'
          ? rng.chance(0.5)
            ? Number(current) || rng.int(100)
            : current + rng.string()
          : typeof current === 'number'
            ? String(current)
            : weirdValue(rng);
    else if (op === 2) next = [current];
    else if (op === 3 && isObject(current)) {
      const keys = Object.keys(current);
      if (keys.length) {
        const k = rng.pick(keys);
        const copy: Record<string, unknown> = { ...current };
        if (rng.chance(0.5)) delete copy[k];
        else {
          copy[`${k}${rng.pick(['_', 'X', '', ' '])}${rng.int(9)}`] = copy[k];
          delete copy[k];
        }
        next = copy;
      }
    } else if (op === 4 && isObject(current))
      next = { ...current, [rng.pick(['update_id', 'type', 'id', 'message', 'text', 'event', 'data', 'status', rng.string(8)])]: weirdValue(rng) };
    else if (op === 5 && key !== undefined && !Array.isArray(parent))
      next = undefined; // deleted below
    else next = weirdValue(rng);
    if (key === undefined) root = next;
    else if (next === undefined && isObject(parent)) delete parent[key as string];
    else (parent as Record<string | number, unknown>)[key] = next;
  }
  return root;
}

/** Byte-level damage: flips, truncation, insertions of bytes that are not UTF-8, repeats. */
export function mutateBytes(body: Buffer, rng: Rng): Buffer {
  const bad = [
    Buffer.from([0xc3, 0x28]),
    Buffer.from([0xff, 0xfe]),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from([0xc0, 0xaf]),
    Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
    Buffer.from([0]),
  ];
  let b = Buffer.from(body);
  for (let n = 1 + rng.int(4); n > 0; n--) {
    const at = rng.int(b.length + 1);
    switch (rng.int(5)) {
      case 0:
        if (b.length) b[Math.min(at, b.length - 1)] = rng.int(256);
        break;
      case 1:
        b = b.subarray(0, at);
        break;
      case 2:
        b = Buffer.concat([b.subarray(0, at), rng.pick(bad), b.subarray(at)]);
        break;
      case 3:
        b = Buffer.concat([b.subarray(0, at), rng.bytes(1 + rng.int(20)), b.subarray(at)]);
        break;
      default:
        b = Buffer.concat([b, b.subarray(0, Math.min(b.length, 500))]);
    }
  }
  return b;
}

/** Mutates form parameters: values replaced or stretched, keys dropped, added or doubled. */
export function mutateForm(params: Record<string, string>, rng: Rng): Record<string, string> {
  const out = { ...params };
  for (let n = 1 + rng.int(3); n > 0; n--) {
    const keys = Object.keys(out);
    const k = rng.pick(keys.length ? keys : ['Body']);
    switch (rng.int(4)) {
      case 0:
        delete out[k];
        break;
      case 1:
        out[k] = String(weirdValue(rng));
        break;
      case 2:
        out[k] = (out[k] ?? '') + rng.string(200);
        break;
      default:
        out[rng.pick(['MessageSid', 'From', 'Body', 'NumMedia', 'MessageStatus', 'ErrorCode', 'command', 'user_id', 'text', 'payload', rng.string(6)])] =
          rng.string(30);
    }
  }
  return out;
}

/** One request as sent: anything goes. `chunked` sends the body without a Content-Length. */
export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  chunked?: boolean;
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** Sends one request to 127.0.0.1:`port`. A connection the server closed before answering is status 0. */
export function send(port: number, r: RawRequest, fresh = false): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const body = r.body ?? Buffer.alloc(0);
    const headers: Record<string, string | number> = { ...r.headers };
    if (!r.chunked && r.method !== 'GET' && r.method !== 'HEAD') headers['content-length'] = body.length;
    let done = false;
    const finish = (a: RawAnswer) => {
      if (!done) {
        done = true;
        resolve(a);
      }
    };
    const req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent: fresh || r.chunked ? false : agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => finish({ status: res.statusCode ?? 0, headers: res.headers, text: '' }));
    });
    req.on('error', () => {
      // A reused keep-alive socket the server had just closed: try once on a new connection.
      if (!fresh && !r.chunked && !done) void send(port, r, true).then(finish);
      else finish({ status: 0, headers: {}, text: '' });
    });
    if (r.chunked) {
      const step = 16 * 1024;
      for (let i = 0; i < body.length; i += step) req.write(body.subarray(i, i + step));
      req.end();
    } else req.end(r.method === 'GET' || r.method === 'HEAD' ? undefined : body);
  });
}

/** Writes raw bytes (not HTTP, or broken HTTP) on a new connection; resolves with what came back. */
export function sendRaw(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const end = () => resolve(Buffer.concat(chunks).toString('latin1'));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', end);
    socket.on('close', end);
    socket.setTimeout(2000, () => socket.destroy());
    socket.end(bytes);
  });
}

/** Runs `tasks` with at most `limit` at a time. */
export async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await (tasks[i] as () => Promise<T>)();
      }
    }),
  );
  return results;
}
