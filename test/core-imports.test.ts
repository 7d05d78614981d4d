// docs/architecture.md, rules 1 and 2: the core (src/engine, src/flows, src/domain, src/shared) imports no SDK,
// no database client, no scheduler, no I/O module, no runtime code, and never reads the clock.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf } from './helpers/imports.js';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORE = ['src/engine', 'src/flows', 'src/domain', 'src/shared'];

const FORBIDDEN_PACKAGES = [
  /^telegraf/, /^@slack\//, /^twilio/, /^discord\.js/, /^@discordjs\//, /^@prisma\//, /^prisma/, /^pg$/, /^better-sqlite3/,
  /^node-cron/, /^pino/, /^prom-client/, /^(node:)?(fs|fs\/promises|net|http|https|http2|dgram|child_process|cluster|worker_threads|tls|dns|os|readline)$/,
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
});
