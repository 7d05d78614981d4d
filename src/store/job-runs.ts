/**
 * Cron job leases: the process that inserts the row for (job name, tick) runs the job; a
 * unique violation means another process has that tick. The insert is its own statement
 * (on PostgreSQL a failed statement inside a bigger transaction would abort it).
 */
import { isUniqueViolation, type PrismaClient } from './types.js';

/** The scheduled minute as ISO text (UTC, seconds and milliseconds zeroed). */
export function tickOf(date: Date): string {
  return new Date(Math.floor(date.getTime() / 60_000) * 60_000).toISOString();
}

/** True when this `owner` won the run of job `name` at `tick`; false when another process has it. */
export async function claimJobRun(db: PrismaClient, run: { name: string; tick: string; owner: string; now: Date }): Promise<boolean> {
  try {
    await db.jobRun.create({ data: { name: run.name, tick: run.tick, owner: run.owner, createdAt: run.now } });
    // Once an hour (the run of minute 0 that wins), leases older than a day are pruned.
    if (run.tick.endsWith(':00:00.000Z')) {
      await db.jobRun.deleteMany({ where: { createdAt: { lt: new Date(run.now.getTime() - 86_400_000) } } });
    }
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}
