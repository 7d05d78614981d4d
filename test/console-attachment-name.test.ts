// The download name of a customer's file (src/console/attachments.ts): an ASCII fallback and the
// UTF-8 name percent-encoded as RFC 5987 requires, so every browser reads the same name.
import { describe, expect, it } from 'vitest';
import { contentDisposition } from '../src/console/attachments.js';

describe("an attachment's Content-Disposition", () => {
  it("percent-encodes ' ( ) * in the UTF-8 name, which RFC 5987 does not allow as they are", () => {
    const header = contentDisposition("faktura (Jana's)*.pdf");
    expect(header).toBe(`attachment; filename="faktura (Jana's)*.pdf"; filename*=UTF-8''faktura%20%28Jana%27s%29%2A.pdf`);
    const encoded = header.split("UTF-8''")[1] ?? '';
    expect(encoded).toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
    expect(decodeURIComponent(encoded)).toBe("faktura (Jana's)*.pdf");
  });

  it('keeps a Czech name readable in UTF-8 and safe in the fallback', () => {
    expect(contentDisposition('stránka "1";.html')).toBe(`attachment; filename="str_nka _1__.html"; filename*=UTF-8''str%C3%A1nka%20%221%22%3B.html`);
  });
});
