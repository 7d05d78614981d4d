/**
 * The versions of the flows conversations stand in (model FlowVersion): each definition is kept
 * once, so a conversation that began before its flow file changed goes on with the steps it
 * began with (src/runtime/dispatch.ts).
 */
import type { FlowDef } from '../engine/flow.js';
import type { TextOverrides } from '../messages/index.js';
import { exec, query } from './sql.js';
import type { DbClient } from './types.js';

/** A stored version: the definition and the texts its file wrote out. */
export interface StoredFlow {
  flow: FlowDef;
  texts: TextOverrides;
}

/** Keeps each of `flows` unless its version is kept already (also when another process keeps it at the same time). */
export async function keepFlowVersions(db: DbClient, flows: readonly FlowDef[], texts: TextOverrides): Promise<void> {
  for (const flow of flows) {
    // This flow's own texts: those its file wrote out (flows.<id>.…), the names of its summary
    // answers (field.…) and of its category (problem.…), which a later version may no longer have.
    const mine = (key: string) =>
      key.startsWith(`flows.${flow.id}.`) || flow.summaryFields.some((f) => key === `field.${f}`) || key === `problem.${flow.category}`;
    const own = Object.fromEntries(
      Object.entries(texts).map(([lang, all]) => [lang, Object.fromEntries(Object.entries(all ?? {}).filter(([key]) => mine(key)))]),
    );
    const definition = JSON.stringify({ flow, texts: own } satisfies StoredFlow);
    await exec(
      db,
    )`INSERT INTO "FlowVersion" ("flowId", "version", "definition", "createdAt") VALUES (${flow.id}, ${flow.version}, ${definition}, ${new Date()}) ON CONFLICT ("flowId", "version") DO NOTHING`;
  }
}

/** The kept definition of `flowId` at `version`, or null. */
export async function keptFlowVersion(db: DbClient, flowId: string, version: number): Promise<StoredFlow | null> {
  const [row] = await query<{ definition: unknown }>(db)`SELECT "definition" FROM "FlowVersion" WHERE "flowId" = ${flowId} AND "version" = ${version}`;
  if (!row) return null;
  return (typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition) as StoredFlow;
}
