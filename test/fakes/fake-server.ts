// A fake platform on 127.0.0.1: records every request and lets a test script the answers
// (including 429 with Retry-After and 500). Platform routers sit on top of it.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON or form data when it is one, else the raw text. */
  body: unknown;
  at: number;
}

export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type FakeHandler = (req: RecordedRequest) => FakeAnswer | Promise<FakeAnswer>;

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  /** Answers scripted for the next requests matching `path` (a regex), used once each, before the handler. */
  script(path: RegExp, ...answers: FakeAnswer[]): void;
  close(): Promise<void>;
}

function parseBody(raw: string, type: string | undefined): unknown {
  if (raw === '') return undefined;
  if (type?.includes('application/json')) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  if (type?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  return raw;
}

export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const scripted: Array<{ path: RegExp; answer: FakeAnswer }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: parseBody(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']),
        at: Date.now(),
      };
      requests.push(recorded);
      const i = scripted.findIndex((s) => s.path.test(recorded.path));
      let answer: FakeAnswer;
      try {
        answer = i >= 0 ? (scripted.splice(i, 1)[0] as { answer: FakeAnswer }).answer : await handler(recorded);
      } catch (err) {
        answer = { status: 500, body: { error: String(err) } };
      }
      const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(path, ...answers) {
      for (const answer of answers) scripted.push({ path, answer });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Waits until `check` returns a truthy value (polling), or fails after `ms`. */
export async function eventually<T>(check: () => T | Promise<T>, ms = 5000, what = 'condition'): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
