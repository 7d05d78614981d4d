// A browser for the operator console at the HTTP level: a cookie jar, redirects left to the
// test, and the forms' CSRF token read from the page as a browser would submit it.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { createOperator } from '../../src/store/operators.js';
import { hashPassword } from '../../src/console/password.js';
import type { PrismaClient } from '../../src/store/types.js';

export interface Page {
  status: number;
  text: string;
  location: string | null;
  headers: Headers;
}

export class ConsoleClient {
  cookies = new Map<string, string>();
  constructor(public base: string) {}

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = (pair as string).indexOf('=');
      const name = (pair as string).slice(0, eq).trim();
      const value = (pair as string).slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  async get(path: string): Promise<Page> {
    const res = await fetch(`${this.base}${path}`, { redirect: 'manual', headers: this.cookieHeader() });
    this.remember(res);
    return { status: res.status, text: await res.text(), location: res.headers.get('location'), headers: res.headers };
  }

  /** POSTs a form as it is (no token added: the caller decides). */
  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
    const res = await fetch(`${this.base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.cookieHeader(), ...headers },
      body: new URLSearchParams(form).toString(),
    });
    this.remember(res);
    return { status: res.status, text: await res.text(), location: res.headers.get('location'), headers: res.headers };
  }

  /** POSTs a multipart form (a file upload) as it is; the caller adds the CSRF token. */
  async postMultipart(path: string, form: FormData, headers: Record<string, string> = {}): Promise<Page> {
    const res = await fetch(`${this.base}${path}`, { method: 'POST', redirect: 'manual', headers: { ...this.cookieHeader(), ...headers }, body: form });
    this.remember(res);
    return { status: res.status, text: await res.text(), location: res.headers.get('location'), headers: res.headers };
  }

  /** Opens `pagePath`, then submits `form` with the page's CSRF token, as the page's form would. */
  async submit(pagePath: string, action: string, form: Record<string, string>): Promise<Page> {
    const page = await this.get(pagePath);
    return this.post(action, { _csrf: csrfOf(page.text), ...form });
  }

  async signIn(username: string, password: string): Promise<Page> {
    return this.submit('/console/login', '/console/login', { username, password });
  }
}

/** The CSRF token of the first form on the page. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no CSRF field on the page: ${html.slice(0, 300)}`);
  return m[1] as string;
}

/** A logger whose lines the test can read. */
export function capturingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger('info', stream), lines };
}

/** Adds a console account directly in the database. */
export async function addOperator(
  prisma: PrismaClient,
  username: string,
  role: 'admin' | 'technician' | 'viewer',
  opts: { password?: string; displayName?: string; slackId?: string; language?: string } = {},
): Promise<string> {
  const password = opts.password ?? `${username}-password-1`;
  await createOperator(prisma, {
    username,
    role,
    displayName: opts.displayName ?? username,
    passwordHash: await hashPassword(password),
    slackId: opts.slackId ?? null,
    language: opts.language,
  });
  return password;
}
