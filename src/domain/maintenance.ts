/**
 * Planned maintenance: lead times ("24h", "1h") and which lead-time notice is due. Pure.
 */

/** "24h" -> 1440, "90m" -> 90, "2d" -> 2880, "1h30m" -> 90; null when unreadable or zero. */
export function parseLeadTime(text: string): number | null {
  const m = /^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*$/i.exec(text);
  if (!m || (m[1] === undefined && m[2] === undefined && m[3] === undefined)) return null;
  const minutes = Number(m[1] ?? 0) * 24 * 60 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return minutes > 0 && Number.isSafeInteger(minutes) ? minutes : null;
}

/** 1440 -> "24 h", 90 -> "1 h 30 min", 45 -> "45 min". */
export function leadTimeText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ') || '0 min';
}

/**
 * The lead time (minutes) whose notice is due at `now` for a maintenance starting at
 * `startsAt`: the shortest lead whose moment has come, while the maintenance has not
 * started. A maintenance scheduled 30 minutes ahead gets only its 1-hour notice, not the
 * 24-hour one too. Null when none is due.
 */
export function dueLeadTime(startsAt: Date, now: Date, leads: readonly number[]): number | null {
  const left = startsAt.getTime() - now.getTime();
  if (left <= 0) return null;
  const due = leads.filter((lead) => left <= lead * 60_000);
  return due.length ? Math.min(...due) : null;
}
