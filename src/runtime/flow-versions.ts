/**
 * A conversation keeps the version of its flow it began with: this process's flow versions are
 * kept in the database (once, before its first dispatch), and a conversation that stands in an
 * older version is stepped with that version's definition and texts (docs/flows.md).
 */
import type { FlowDef } from '../engine/flow.js';
import type { ConversationState, StepContext } from '../engine/types.js';
import { addTexts, type TextOverrides } from '../messages/index.js';
import { keepFlowVersions, keptFlowVersion, type StoredFlow } from '../store/flow-versions.js';
import type { DbClient, PrismaClient } from '../store/types.js';

type Engine = Omit<StepContext, 'customer' | 'capabilities' | 'langHint'>;

export interface FlowVersions {
  /** Keeps the current versions (once per process; again after a failure). Not inside a transaction. */
  keep(): Promise<void>;
  /** The engine context for `state`: its own flow's older version when it began with one that is kept. */
  engineFor(db: DbClient, engine: Engine, state: ConversationState | null): Promise<Engine>;
}

/**
 * A kept version with the keys of the texts its file wrote out made its own
 * (flows.<id>.… -> flows.<id>@<version>.…): the current file may word the same place differently,
 * and a conversation in the old version reads the old wording. The names of summary answers and
 * of the category keep their keys: the current wording wins, the old one fills in what is gone.
 */
function ownKeys(stored: StoredFlow, flowId: string, version: number): StoredFlow {
  const from = `"flows.${flowId}.`;
  return JSON.parse(JSON.stringify(stored).replaceAll(from, `"flows.${flowId}@${version}.`)) as StoredFlow;
}

export function flowVersions(prisma: PrismaClient, flows: Readonly<Record<string, FlowDef>>, texts: TextOverrides): FlowVersions {
  let kept: Promise<void> | null = null;
  const older = new Map<string, StoredFlow | null>();
  return {
    keep() {
      kept ??= keepFlowVersions(prisma, Object.values(flows), texts).catch((err: unknown) => {
        kept = null;
        throw err;
      });
      return kept;
    },
    async engineFor(db, engine, state) {
      const current = state ? engine.flows[state.flow] : undefined;
      // The main flow's steps are the engine's own: a conversation there always takes the current one.
      if (!state || !current || state.flow === 'main' || current.version === state.flowVersion) return engine;
      const key = `${state.flow}@${state.flowVersion}`;
      if (!older.has(key)) {
        const kept = await keptFlowVersion(db, state.flow, state.flowVersion);
        const stored = kept && ownKeys(kept, state.flow, state.flowVersion);
        if (stored) addTexts(stored.texts);
        older.set(key, stored);
      }
      const stored = older.get(key);
      return stored ? { ...engine, flows: { ...engine.flows, [state.flow]: stored.flow } } : engine;
    },
  };
}
