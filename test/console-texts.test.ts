// The console's own texts and markup rules (issue 17, "Languages and look"): Czech, Slovak and
// English have the same keys with the same placeholders; no page source uses hono's raw() (which
// would let typed text through unescaped) or writes inline script or style (the CSP forbids it).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONSOLE_TEXTS, ct } from '../src/console/texts.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/console');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** What a page source must not do: raw() or an inline script, style or event handler. */
export function markupProblems(source: string): string[] {
  const found: string[] = [];
  if (/\braw\s*\(/.test(source) || /from 'hono\/html'.*\braw\b/.test(source)) found.push('raw()');
  if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(source)) found.push('inline <script>');
  if (/<style\b/i.test(source) || /\sstyle="/i.test(source)) found.push('inline style');
  if (/\son[a-z]+=["$]/i.test(source)) found.push('inline event handler');
  return found;
}

describe('the console texts', () => {
  it('has every key in Czech, Slovak and English with the same placeholders', () => {
    const keys = Object.keys(CONSOLE_TEXTS.cs).sort();
    for (const lang of ['sk', 'en'] as const) {
      expect(Object.keys(CONSOLE_TEXTS[lang]).sort()).toEqual(keys);
      for (const key of keys)
        expect(placeholders(CONSOLE_TEXTS[lang][key as keyof typeof CONSOLE_TEXTS.cs]), `${lang} ${key}`).toEqual(
          placeholders(CONSOLE_TEXTS.cs[key as keyof typeof CONSOLE_TEXTS.cs]),
        );
    }
    expect(ct('sk', 'setup.short', { min: 10 })).toBe('Heslo musí mať aspoň 10 znakov.');
  });

  it('no page source uses raw() or inline script, style or event handlers', () => {
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'assets.ts');
    expect(sources.length).toBeGreaterThan(5);
    expect(sources.flatMap((f) => markupProblems(readFileSync(path.join(dir, f), 'utf8')).map((p) => `${f}: ${p}`))).toEqual([]);
  });

  it('the markup check catches each thing it looks for', () => {
    expect(markupProblems("import { html, raw } from 'hono/html'; raw(name)")).toContain('raw()');
    expect(markupProblems('html`<script>alert(1)</script>`')).toContain('inline <script>');
    expect(markupProblems('html`<script src="/console/assets/console.js" defer></script>`')).toEqual([]);
    expect(markupProblems('html`<p style="color:red">`')).toContain('inline style');
    expect(markupProblems('html`<button onclick="go()">`')).toContain('inline event handler');
  });
});
