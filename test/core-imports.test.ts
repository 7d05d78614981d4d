// docs/architecture.md, rules 1 and 2: the core (src/engine, src/flows, src/domain, src/shared) imports no SDK,
// no database client, no scheduler, no I/O module, no runtime code, and never reads the clock;
// and its folders stack (src/shared/index.ts): none imports a folder above its own.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf } from './helpers/imports.js';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORE = ['src/engine', 'src/flows', 'src/domain', 'src/shared'];

const FORBIDDEN_PACKAGES = [
  /^telegraf/,
  /^@slack\//,
  /^twilio/,
  /^discord\.js/,
  /^@discordjs\//,
  /^@prisma\//,
  /^prisma/,
  /^pg$/,
  /^better-sqlite3/,
  /^node-cron/,
  /^pino/,
  /^prom-client/,
  /^(node:)?(fs|fs\/promises|net|http|https|http2|dgram|child_process|cluster|worker_threads|tls|dns|os|readline)$/,
];
const FORBIDDEN_LOCAL = /(^|\/)(store|runtime|jobs|generated|config)(\/|$)|(^|\/)adapters\//;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

function violations(file: string, source: string): string[] {
  const out: string[] = [];
  for (const spec of importsOf(source)) {
    if (spec.startsWith('.')) {
      const resolved = path.relative(root, path.resolve(path.dirname(file), spec));
      if (FORBIDDEN_LOCAL.test(resolved)) out.push(`${path.relative(root, file)} imports ${spec}`);
    } else if (FORBIDDEN_PACKAGES.some((re) => re.test(spec))) out.push(`${path.relative(root, file)} imports ${spec}`);
  }
  if (/Date\.now\(\)|new Date\(\s*\)/.test(source)) out.push(`${path.relative(root, file)} reads the clock`);
  if (/process\.(env|hrtime)|Math\.random\(/.test(source)) out.push(`${path.relative(root, file)} reads the environment or randomness`);
  return out;
}

/** The core's folders from the bottom up (src/shared/index.ts): each may import only the ones before it. */
const STACK = ['src/shared', 'src/messages', 'src/domain', 'src/engine', 'src/flows'];

/** Imports of a core file that reach a folder above its own in {@link STACK}. */
function upward(file: string, source: string): string[] {
  const level = (p: string) => STACK.findIndex((dir) => p === dir || p.startsWith(`${dir}/`));
  const from = path.relative(root, file).split(path.sep).join('/');
  return importsOf(source)
    .filter((spec) => spec.startsWith('.'))
    .flatMap((spec) => {
      const to = path
        .relative(root, path.resolve(path.dirname(file), spec))
        .split(path.sep)
        .join('/');
      return level(to) > level(from) ? [`${from} imports ${spec}`] : [];
    });
}

describe('the pure core', () => {
  it('imports no SDK, database, scheduler, I/O or runtime module, and never reads the clock', () => {
    const found = CORE.flatMap((dir) => files(path.join(root, dir))).flatMap((f) => violations(f, readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('catches each kind of violation (the check itself works)', () => {
    const f = path.join(root, 'src/engine/x.ts');
    expect(violations(f, "import { Telegraf } from 'telegraf';")).toHaveLength(1);
    expect(violations(f, "import type { PrismaClient } from '@prisma/client';")).toHaveLength(1);
    expect(violations(f, "import { readFileSync } from 'node:fs';")).toHaveLength(1);
    expect(violations(f, "import cron from 'node-cron';")).toHaveLength(1);
    expect(violations(f, "export { x } from '../store/outbox.js';")).toHaveLength(1);
    expect(violations(f, "const m = await import('../runtime/dispatch.js');")).toHaveLength(1);
    expect(violations(f, 'const t = Date.now();')).toHaveLength(1);
    expect(violations(f, "import { t } from '../messages/index.js';\nimport type { FlowDef } from './flow.js';")).toEqual([]);
  });

  it('stacks: shared, messages, domain, engine, flows; none imports a folder above its own', () => {
    expect(STACK.flatMap((dir) => files(path.join(root, dir))).flatMap((f) => upward(f, readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('catches an import upwards in the stack (the check itself works)', () => {
    expect(upward(path.join(root, 'src/domain/x.ts'), "import type { Lang } from '../engine/types.js';")).toHaveLength(1);
    expect(upward(path.join(root, 'src/messages/x.ts'), "import { normalize } from '../domain/billing.js';")).toHaveLength(1);
    expect(upward(path.join(root, 'src/shared/x.ts'), "import { t } from '../messages/index.js';")).toHaveLength(1);
    expect(
      upward(
        path.join(root, 'src/engine/x.ts'),
        "import { t } from '../messages/index.js';\nimport { formatMoney } from '../domain/money.js';\nimport { normalize } from '../shared/normalize.js';",
      ),
    ).toEqual([]);
    expect(upward(path.join(root, 'src/flows/x.ts'), "import type { FlowDef } from '../engine/flow.js';")).toEqual([]);
  });
});
