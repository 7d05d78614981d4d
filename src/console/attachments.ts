/**
 * A file a customer sent by e-mail, downloaded from its ticket's page (docs/email.md,
 * "Receiving"): for signed-in users only, always as a download with a safe name, never shown
 * in the console's own origin as a page (HTML, scripts and SVG go out as plain bytes).
 */
import type { Hono } from 'hono';
import { attachmentById } from '../store/mail.js';
import type { AuthSettings, ConsoleEnv } from './auth.js';
import { messagePage } from './layout.js';
import { viewerOf } from './tickets.js';
import { ct } from './texts.js';

/** Content types a browser could run or render as a document: sent as application/octet-stream instead. */
const ACTIVE = /(html|javascript|ecmascript|svg|xml|xsl|x-shockwave|pdf)/i;

/** The download's Content-Disposition: an ASCII fallback name and the UTF-8 one (RFC 6266). */
export function contentDisposition(filename: string): string {
  const plain = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_') || 'attachment';
  // RFC 5987's attr-char has no ' ( ) *, which encodeURIComponent leaves as they are.
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${plain}"; filename*=UTF-8''${encoded}`;
}

/** GET /console/attachments/:id. */
export function attachmentRoutes(app: Hono<ConsoleEnv>, d: AuthSettings): void {
  app.get('/attachments/:id', async (c) => {
    const found = await attachmentById(d.prisma, c.req.param('id'));
    const lang = c.get('lang');
    if (!found) return c.html(messagePage(lang, ct(lang, 'error.notFound.title'), ct(lang, 'error.notFound'), viewerOf(c)), 404);
    const type = /^[\w.+-]+\/[\w.+-]+$/.test(found.contentType) && !ACTIVE.test(found.contentType) ? found.contentType : 'application/octet-stream';
    return c.body(Buffer.from(found.data), 200, {
      'content-type': type,
      'content-disposition': contentDisposition(found.filename),
      'x-content-type-options': 'nosniff',
    });
  });
}
