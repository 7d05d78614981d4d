/**
 * Who may act on tickets from Slack: the user ids in `slack.technicians`, and the members
 * of the user group `slack.technicianGroup` (asked with usergroups.users.list, cached a few
 * minutes). Display names come from users.info, cached too. A failed look-up is not cached.
 */
import type { webApi } from '@slack/bolt';
import { isListedTechnician, type TechnicianRoster } from '../../src/domain/team-commands.js';
import type { Logger } from '../../src/observability/logger.js';
import type { Technician } from '../../src/services/queue.js';
import { slackTechnicianId } from './parse.js';

export interface TechnicianDirectoryOptions {
  client: webApi.WebClient;
  technicians: readonly string[];
  technicianGroup: string;
  log: Logger;
  /** The clock the caches expire by. */
  now: () => number;
  /** How long the group's members are trusted (default 5 minutes). */
  groupTtlMs?: number;
  /** How long a display name is kept (default 1 hour). */
  nameTtlMs?: number;
}

export interface TechnicianDirectory {
  /** True when `userId` may act on tickets. */
  mayAct(userId: string): Promise<boolean>;
  /** The technician as the queue needs them (display name looked up). */
  technician(userId: string): Promise<Technician>;
}

interface Cached<T> {
  value: Promise<T>;
  until: number;
}

export function createTechnicianDirectory(opts: TechnicianDirectoryOptions): TechnicianDirectory {
  const { client, log, now } = opts;
  const roster: TechnicianRoster = { users: opts.technicians, groups: opts.technicianGroup ? [opts.technicianGroup] : [] };
  const groupTtl = opts.groupTtlMs ?? 5 * 60_000;
  const nameTtl = opts.nameTtlMs ?? 60 * 60_000;
  let group: Cached<ReadonlySet<string>> | null = null;
  const names = new Map<string, Cached<string>>();

  /** Members of the technician group; concurrent callers share one request. */
  function groupMembers(): Promise<ReadonlySet<string>> {
    if (group && group.until > now()) return group.value;
    const entry: Cached<ReadonlySet<string>> = {
      until: now() + groupTtl,
      value: client.usergroups.users.list({ usergroup: opts.technicianGroup }).then((res) => new Set(res.users ?? [])),
    };
    entry.value.catch((err: unknown) => {
      log.warn({ err: String(err), group: opts.technicianGroup }, 'slack: usergroups.users.list failed; group members may not act until it answers');
      if (group === entry) group = null;
    });
    group = entry;
    return entry.value;
  }

  function displayName(userId: string): Promise<string> {
    const hit = names.get(userId);
    if (hit && hit.until > now()) return hit.value;
    const entry: Cached<string> = {
      until: now() + nameTtl,
      value: client.users.info({ user: userId }).then((res) => {
        const u = res.user;
        return u?.profile?.display_name || u?.profile?.real_name || u?.real_name || u?.name || userId;
      }),
    };
    names.set(userId, entry);
    return entry.value.catch((err: unknown) => {
      // Acting matters more than the name: fall back to the id, and ask again next time.
      log.warn({ err: String(err), user: userId }, 'slack: users.info failed; using the user id as the name');
      if (names.get(userId) === entry) names.delete(userId);
      return userId;
    });
  }

  return {
    async mayAct(userId) {
      // The group's members are asked for only when the user is not listed by id.
      if (isListedTechnician({ userId, groups: [] }, roster)) return true;
      if (!opts.technicianGroup) return false;
      try {
        const groups = (await groupMembers()).has(userId) ? [opts.technicianGroup] : [];
        return isListedTechnician({ userId, groups }, roster);
      } catch {
        return false;
      }
    },
    async technician(userId) {
      return { id: slackTechnicianId(userId), name: await displayName(userId), platform: 'slack' };
    },
  };
}
