// The documentation stands alone in a fresh clone: every relative link in README.md,
// CONTRIBUTING.md, bench/README.md and docs/*.md leads to a file of the repository (and a
// "#anchor" to a heading of that file), no page names a path outside the repository, and
// no file cites the planning papers that are not in it. Each check also shows it catches
// what it looks for, so a check that has stopped looking cannot pass unnoticed.
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The markdown pages that are checked, relative to the repository's root. */
const PAGES = [
  'README.md',
  'CONTRIBUTING.md',
  'bench/README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

/** The text without fenced code blocks (their "# comment" lines are no headings, their brackets no links). */
export function withoutFences(markdown: string): string {
  let fence: string | null = null;
  return markdown
    .split('\n')
    .map((line) => {
      const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
      if (m) {
        const mark = (m[1] as string)[0] as string;
        if (fence === null) fence = mark;
        else if (fence === mark) fence = null;
        return '';
      }
      return fence === null ? line : '';
    })
    .join('\n');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link: its text
    .replace(/`/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/(^|\s)[*_]+|[*_]+(\s|$)/g, '$1$2') // emphasis marks at word edges (snake_case stays)
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

/** The anchors of a page's headings, numbered as GitHub numbers repeated ones ("-1", "-2"). */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of withoutFences(markdown).split('\n')) {
    const m = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1] as string);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** The link targets of a page: inline links and images, and reference definitions; not inside code. */
export function linksOf(markdown: string): string[] {
  const text = withoutFences(markdown).replace(/`[^`\n]*`/g, '');
  const inline = [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] as string);
  const defined = [...text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1] as string);
  return [...inline, ...defined];
}

const isWeb = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target); // https:, mailto:...

/** What is wrong with the page's relative links: a missing file, a path outside the repository, an unknown anchor. */
export function brokenLinks(page: string, markdown: string, read: (file: string) => string | null = readPage): string[] {
  const problems: string[] = [];
  for (const target of linksOf(markdown)) {
    if (isWeb(target)) continue;
    const [file = '', anchor] = target.split('#') as [string, string | undefined];
    const resolved = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), decodeURIComponent(file)));
    if (resolved.startsWith('../') || path.posix.isAbsolute(resolved)) {
      problems.push(`${page}: ${target} is outside the repository`);
      continue;
    }
    const text = read(resolved);
    if (text === null) {
      problems.push(`${page}: ${target} does not exist`);
      continue;
    }
    if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(text).has(decodeURIComponent(anchor))) {
      problems.push(`${page}: ${target} names no heading of ${resolved}`);
    }
  }
  return problems;
}

/** A repository file's text ("" for a folder), or null when there is none. */
function readPage(file: string): string | null {
  const full = path.join(ROOT, file);
  if (!existsSync(full)) return null;
  return statSync(full).isDirectory() ? '' : readFileSync(full, 'utf8');
}

/** Paths the page names with "../" (in links, code or text) that lead outside the repository, or to nothing. */
export function outsidePaths(page: string, markdown: string, exists: (file: string) => boolean = (f) => existsSync(path.join(ROOT, f))): string[] {
  const found: string[] = [];
  for (const m of markdown.matchAll(/(?:^|[^\w./-])((?:\.\.\/)+[\w.@-]*(?:\/[\w.@-]+)*\/?)/g)) {
    const named = m[1] as string;
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(page), named));
    if (resolved.startsWith('../') || resolved === '..' || !exists(resolved)) found.push(`${page}: ${named}`);
  }
  return found;
}

// Spelled in pieces, so that this file does not cite them itself.
const PLANNING_PAPERS = new RegExp(`${['DESIGN', 'DOMAIN'].map((n) => `\\b${n}\\.md\\b`).join('|')}|\\bseeds?\\s+0\\d\\d\\b|\\b0\\d\\d_[0-9a-f]{16}\\.txt\\b`);

function filesUnder(dir: string): string[] {
  const full = path.join(ROOT, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (['node_modules', 'generated', 'results', 'migrations'].includes(name) || lstatSync(path.join(ROOT, rel)).isSymbolicLink()) return [];
    return statSync(path.join(ROOT, rel)).isDirectory() ? filesUnder(rel) : /\.(ts|mts|js|mjs|prisma|md|ya?ml|json)$/.test(name) ? [rel] : [];
  });
}

describe('the documentation', () => {
  it.each(PAGES)('%s: every relative link leads to a file of the repository, and every #anchor to one of its headings', (page) => {
    expect(brokenLinks(page, readFileSync(path.join(ROOT, page), 'utf8'))).toEqual([]);
  });

  it.each(PAGES)('%s: names no path outside the repository ("../")', (page) => {
    expect(outsidePaths(page, readFileSync(path.join(ROOT, page), 'utf8'))).toEqual([]);
  });

  it('every page of docs/ is linked from README.md or from another page', () => {
    const linked = new Set(
      PAGES.flatMap((page) =>
        linksOf(readFileSync(path.join(ROOT, page), 'utf8'))
          .filter((t) => !isWeb(t) && !t.startsWith('#'))
          .map((t) => path.posix.normalize(path.posix.join(path.posix.dirname(page), t.split('#')[0] as string)))
          .filter((t) => t !== page),
      ),
    );
    expect(PAGES.filter((p) => p.startsWith('docs/') && !linked.has(p))).toEqual([]);
  });

  it('nothing in the repository cites the planning papers a clone does not have (cite docs/ instead)', () => {
    const files = [
      ...['src', 'adapters', 'test', 'bench', 'scripts', 'prisma', 'bin', 'docs', 'examples'].flatMap(filesUnder),
      ...readdirSync(ROOT).filter((f) => /\.(md|ya?ml)$/.test(f)),
    ];
    const cites = files.flatMap((file) =>
      readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (PLANNING_PAPERS.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(cites).toEqual([]);
  });
});

describe('the documentation checks themselves', () => {
  const pages: Record<string, string> = {
    'README.md': '# Linka\n\n## Try it: the shell\n\n```sh\n# not a heading\n```\n',
    'docs/ops.md': '# Operations\n\n## Crashes and several processes\n\n## `linka serve` stops cleanly\n\n## Notes\n\n## Notes\n',
  };
  const read = (file: string) => pages[file] ?? (file === 'src' || file === 'src/app.ts' ? '' : null);

  it("makes GitHub's anchors", () => {
    expect(slug('Try it as a customer: the shell')).toBe('try-it-as-a-customer-the-shell');
    expect(slug('`linka serve` stops cleanly')).toBe('linka-serve-stops-cleanly');
    expect(slug('Time, included hours and statements')).toBe('time-included-hours-and-statements');
    expect(slug("The technicians' queue (Slack, Discord)")).toBe('the-technicians-queue-slack-discord');
    expect(slug('Connecting a Twilio number (SMS)')).toBe('connecting-a-twilio-number-sms');
    expect(slug('Výpadky a údržba')).toBe('výpadky-a-údržba');
    expect(slug('customer_fault and **paid** work')).toBe('customer_fault-and-paid-work');
    expect([...anchorsOf(pages['docs/ops.md'] as string)]).toEqual([
      'operations',
      'crashes-and-several-processes',
      'linka-serve-stops-cleanly',
      'notes',
      'notes-1',
    ]);
    expect(anchorsOf(pages['README.md'] as string).has('not-a-heading')).toBe(false);
  });

  it('finds a missing file, an unknown anchor and a path outside the repository, and passes good links', () => {
    const page = 'docs/x.md';
    expect(brokenLinks(page, '[gone](missing.md)', read)).toEqual(['docs/x.md: missing.md does not exist']);
    expect(brokenLinks(page, '[ops](ops.md#crashes)', read)).toEqual(['docs/x.md: ops.md#crashes names no heading of docs/ops.md']);
    expect(brokenLinks(page, '[design](../../shared/PLAN.md)', read)).toEqual(['docs/x.md: ../../shared/PLAN.md is outside the repository']);
    expect(brokenLinks(page, 'see [here][ref]\n\n[ref]: ../nothing.md', read)).toEqual(['docs/x.md: ../nothing.md does not exist']);
    expect(brokenLinks('README.md', '[shell](#try-it-the-shell) [no](#try-it)', read)).toEqual(['README.md: #try-it names no heading of README.md']);
    expect(
      brokenLinks(
        page,
        [
          '[ops](ops.md#crashes-and-several-processes) [again](ops.md#notes-1) [home](../README.md#linka)',
          '[code](../src/app.ts) [folder](../src) [web](https://example.com/x.md) [mail](mailto:a@b.cz)',
          '`[not](a-link.md)`',
          '```',
          '[in a fence](nowhere.md)',
          '```',
        ].join('\n'),
        read,
      ),
    ).toEqual([]);
  });

  it('finds a path outside the repository named in text or code, and passes paths inside it', () => {
    const exists = (f: string) => ['src/app.ts', 'README.md'].includes(f);
    expect(outsidePaths('README.md', 'the design (`../shared/PLAN.md`)', exists)).toEqual(['README.md: ../shared/PLAN.md']);
    expect(outsidePaths('docs/a.md', 'see ../../shared/seeds/', exists)).toEqual(['docs/a.md: ../../shared/seeds/']);
    expect(outsidePaths('docs/a.md', 'see [app](../src/app.ts) and ../README.md', exists)).toEqual([]);
  });

  it('finds a citation of the planning papers', () => {
    for (const line of ['// DESIGN' + '.md rule 8', ' * Payments (DOM' + 'AIN.md)', '# politely (seed ' + '001)', 'from 000_cc4b30054b9a241f' + '.txt'])
      expect(PLANNING_PAPERS.test(line), line).toBe(true);
    for (const line of ['// docs/architecture.md, rule 8', 'a seeded PRNG', 'the seed is fixed', 'design.md'])
      expect(PLANNING_PAPERS.test(line), line).toBe(false);
  });
});
