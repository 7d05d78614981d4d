// One owner per layer (docs/architecture.md, "Layers"): adapters get ports, not the store or the
// HTTP server; the runtime does not reach up into jobs, the CLI or the API; only src/store
// calls Prisma models; and nothing imports in a circle. Each rule also shows it rejects a
// violation, so a rule that has stopped looking cannot pass unnoticed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf } from './helpers/imports.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'generated' ? [] : files(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');

/** The repository files a file imports (relative specifiers resolved, ".js" read as ".ts"). */
function localImports(file: string, source: string): string[] {
  return importsOf(source)
    .filter((s) => s.startsWith('.'))
    .map((s) => rel(path.resolve(path.dirname(file), s)).replace(/\.js$/, '.ts'));
}

interface Rule {
  name: string;
  /** Whether the rule applies to the importing file. */
  from: (file: string) => boolean;
  /** Whether importing `target` breaks it. */
  forbids: (target: string) => boolean;
}

const RULES: Rule[] = [
  {
    name: 'adapters get ports, not the store or the HTTP server',
    from: (f) => f.startsWith('adapters/'),
    forbids: (t) => t.startsWith('src/store/') || t.startsWith('src/server/') || t.startsWith('src/cli/'),
  },
  {
    name: 'the runtime does not import jobs, the CLI or the server',
    from: (f) => f.startsWith('src/runtime/'),
    forbids: (t) => t.startsWith('src/jobs/') || t.startsWith('src/server/') || t.startsWith('src/cli/') || t.startsWith('adapters/'),
  },
  {
    name: 'services do not import the runtime, jobs, the CLI, the server or adapters',
    from: (f) => f.startsWith('src/services/'),
    forbids: (t) => /^src\/(runtime|jobs|server|cli)\//.test(t) || t.startsWith('adapters/'),
  },
  {
    name: 'the store imports no service, runtime, job, server, CLI or adapter',
    from: (f) => f.startsWith('src/store/'),
    forbids: (t) => /^src\/(runtime|services|jobs|server|cli|observability)\//.test(t) || t.startsWith('adapters/'),
  },
  {
    name: 'the logger and metrics import nothing of Linka',
    from: (f) => f.startsWith('src/observability/'),
    forbids: (t) => t.startsWith('src/') || t.startsWith('adapters/'),
  },
  {
    name: 'the console (like the server) does not import the runtime, jobs, the server, the CLI or adapters',
    from: (f) => f.startsWith('src/console/'),
    forbids: (t) => /^src\/(runtime|jobs|server|cli)\//.test(t) || t.startsWith('adapters/'),
  },
  {
    name: 'nothing but the composition roots imports the console',
    from: (f) => !f.startsWith('src/console/') && !f.startsWith('src/cli/') && f !== 'src/app.ts',
    forbids: (t) => t.startsWith('src/console/'),
  },
  {
    name: 'the server and the jobs do not import the CLI',
    from: (f) => f.startsWith('src/server/') || f.startsWith('src/jobs/'),
    forbids: (t) => t.startsWith('src/cli/'),
  },
];

function ruleViolations(file: string, source: string): string[] {
  const from = rel(file);
  return RULES.flatMap((r) =>
    r.from(from)
      ? localImports(file, source)
          .filter(r.forbids)
          .map((t) => `${from} imports ${t} (${r.name})`)
      : [],
  );
}

/** The Prisma models (prisma/models.prisma), as the client names them: ticket, outboxItem... */
const MODELS = [...readFileSync(path.join(root, 'prisma/models.prisma'), 'utf8').matchAll(/^model (\w+)/gm)].map(
  (m) => (m[1] as string)[0]?.toLowerCase() + (m[1] as string).slice(1),
);
const MODEL_CALL = new RegExp(
  `\\.(${MODELS.join('|')})\\.(findMany|findFirst|findUnique|findFirstOrThrow|findUniqueOrThrow|create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany|count|aggregate|groupBy)\\(`,
);

/** Raw SQL through Prisma. */
const RAW_SQL = /\.\$(queryRaw|queryRawUnsafe|executeRaw|executeRawUnsafe)\b/;

/** Prisma model calls and raw SQL outside src/store: the store owns the database. */
function modelCalls(file: string, source: string): string[] {
  const from = rel(file);
  if (from.startsWith('src/store/')) return [];
  return source.split('\n').flatMap((line, i) => (MODEL_CALL.test(line) || RAW_SQL.test(line) ? [`${from}:${i + 1}: ${line.trim()}`] : []));
}

/** Every import circle among `graph`'s files (Tarjan's strongly connected components of more than one file, or a file importing itself). */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      for (;;) {
        const w = stack.pop() as string;
        on.delete(w);
        scc.push(w);
        if (w === v) break;
      }
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

/** The folder a file belongs to for the folder-level check: "src/engine", "adapters/slack"; a file at src/'s top level is its own. */
function folderOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : file;
}

const SOURCES = [...files(path.join(root, 'src')), ...files(path.join(root, 'adapters'))];
const read = (f: string) => readFileSync(f, 'utf8');

describe('one owner per layer', () => {
  it('adapters, the runtime, the services, the store, the server and observability import only what their layer may', () => {
    expect(SOURCES.flatMap((f) => ruleViolations(f, read(f)))).toEqual([]);
  });

  it('nothing outside src/store calls a Prisma model or runs raw SQL', () => {
    expect(SOURCES.flatMap((f) => modelCalls(f, read(f)))).toEqual([]);
  });

  it('nothing imports in a circle', () => {
    const graph = new Map(SOURCES.map((f) => [rel(f), localImports(f, read(f))]));
    expect(circles(graph)).toEqual([]);
  });

  it('no two folders import each other, however indirectly (the core stacks: shared, then domain, then engine)', () => {
    const edges = new Map<string, Set<string>>();
    for (const f of SOURCES) {
      const from = folderOf(rel(f));
      const to = edges.get(from) ?? new Set<string>();
      for (const t of localImports(f, read(f))) if (folderOf(t) !== from) to.add(folderOf(t));
      edges.set(from, to);
    }
    expect(circles(new Map([...edges].map(([k, v]) => [k, [...v]])))).toEqual([]);
  });
});

describe('the layer checks themselves', () => {
  const at = (p: string) => path.join(root, p);

  it('rejects each layer importing what it may not, and allows what it may', () => {
    expect(ruleViolations(at('adapters/slack/index.ts'), "import { openInbound } from '../../src/store/inbound.js';")).toHaveLength(1);
    expect(ruleViolations(at('adapters/discord/index.ts'), "import { readBody } from '../../src/server/http.js';")).toHaveLength(1);
    expect(ruleViolations(at('src/runtime/timer-worker.ts'), "import { expireOffers } from '../jobs/offer-expiry.js';")).toHaveLength(1);
    expect(ruleViolations(at('src/runtime/x.ts'), "import { outageCommand } from '../cli/outage.js';")).toHaveLength(1);
    expect(ruleViolations(at('src/services/x.ts'), "import { dispatch } from '../runtime/dispatch.js';")).toHaveLength(1);
    expect(ruleViolations(at('src/store/x.ts'), "import type { Queue } from '../services/queue.js';")).toHaveLength(1);
    expect(ruleViolations(at('src/observability/x.ts'), "import type { LinkaConfig } from '../config/schema.js';")).toHaveLength(1);
    expect(ruleViolations(at('src/server/x.ts'), "import { main } from '../cli/index.js';")).toHaveLength(1);
    expect(ruleViolations(at('src/console/x.ts'), "import { dispatch } from '../runtime/dispatch.js';")).toHaveLength(1);
    expect(ruleViolations(at('src/console/x.ts'), "import { createHttpServer } from '../server/http.js';")).toHaveLength(1);
    expect(ruleViolations(at('src/services/x.ts'), "import { ct } from '../console/texts.js';")).toHaveLength(1);
    expect(ruleViolations(at('src/console/x.ts'), "import type { Queue } from '../services/queue.js';")).toEqual([]);
    expect(ruleViolations(at('src/console/x.ts'), "import { consoleTicket } from '../store/console-tickets.js';")).toEqual([]);
    // Allowed: an adapter on the runtime's ports, the runtime on the services and the store.
    expect(ruleViolations(at('adapters/slack/index.ts'), "import type { ChannelPort } from '../../src/runtime/ports.js';")).toEqual([]);
    expect(ruleViolations(at('src/runtime/dispatch.ts'), "import { openInbound } from '../store/inbound.js';")).toEqual([]);
    expect(ruleViolations(at('src/runtime/dispatch.ts'), "import { takeOffer } from '../services/offers.js';")).toEqual([]);
  });

  it('finds a Prisma model call outside the store, and allows it inside', () => {
    expect(modelCalls(at('src/runtime/x.ts'), 'const t = await tx.ticket.findUnique({ where: { number } });')).toHaveLength(1);
    expect(modelCalls(at('adapters/discord/x.ts'), 'await deps.prisma.teamPost.findFirst({});')).toHaveLength(1);
    expect(modelCalls(at('src/store/tickets.ts'), 'const t = await tx.ticket.findUnique({ where: { number } });')).toEqual([]);
    expect(modelCalls(at('src/app.ts'), "await db.prisma.$queryRawUnsafe('SELECT 1');")).toHaveLength(1);
    expect(modelCalls(at('src/jobs/x.ts'), 'await tx.$executeRaw`DELETE FROM "Timer"`;')).toHaveLength(1);
    // Opening a transaction for the store's functions is not database access of its own.
    expect(modelCalls(at('src/services/queue.ts'), 'const result = await prisma.$transaction(async (tx) => {')).toEqual([]);
    // A platform SDK's own calls are not the database.
    expect(modelCalls(at('adapters/slack/port.ts'), 'await client.chat.update({ channel, ts, text });')).toEqual([]);
    expect(modelCalls(at('adapters/twilio/index.ts'), 'await client.messages.create({ to, from, body });')).toEqual([]);
    expect(MODELS).toContain('outboxItem');
  });

  it('finds circles, long and short, and nothing in a tree', () => {
    expect(
      circles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'c']]);
    expect(circles(new Map([['a', ['a']]]))).toEqual([['a']]);
    expect(
      circles(
        new Map([
          ['a', ['b', 'c']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
    ).toEqual([]);
  });
});
