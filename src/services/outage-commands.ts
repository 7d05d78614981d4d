/**
 * `/linka outage start|update|resolve|list` for the team platforms (Slack, Discord): each
 * adapter reads its own syntax into these calls, which act through the outage service and
 * answer with the text to show the technician, in the team's language.
 */
import type { OutageStatus } from '../domain/outages.js';
import { localTime } from '../domain/date-format.js';
import type { Lang } from '../engine/types.js';
import { LinkaError } from '../errors.js';
import { t } from '../messages/index.js';
import type { OutageRow, Outages } from './outages.js';

/** What every outage command needs. */
export interface OutageCommandContext {
  outages: Outages;
  lang: Lang;
  timezone: string;
  /** Who acts ("slack:U123"). */
  actor: string;
  /** Where from ("slack", "discord"). */
  source: string;
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

function titleOf(o: OutageRow, lang: Lang): string {
  return o.title || t(lang, 'outage.defaultTitle', { areas: asList(o.areas).join(', ') });
}

/** The answer for outage errors the technician can do something about; others are thrown on. */
function explain(err: unknown, id: string, lang: Lang): string {
  if (err instanceof LinkaError) {
    if (err.code === 'outage_not_found') return t(lang, 'team.outageNotFound', { id });
    if (err.code === 'outage_resolved') return t(lang, 'team.outageWasResolved', { id });
    if (err.code === 'outage_invalid') return err.message;
  }
  throw err;
}

export async function startOutage(
  ctx: OutageCommandContext,
  args: { areas: string[]; title?: string; services?: string[]; status?: OutageStatus; eta?: Date | null },
): Promise<string> {
  const { lang } = ctx;
  try {
    const r = await ctx.outages.declare({
      title: args.title ?? null,
      areas: args.areas,
      services: args.services?.length ? args.services : ['internet'],
      status: args.status,
      estimatedEndAt: args.eta ?? null,
      source: ctx.source,
      actor: ctx.actor,
    });
    const o = r.outage;
    return t(lang, 'team.outageDeclared', {
      id: o.id,
      title: titleOf(o, lang),
      areas: asList(o.areas).join(', '),
      status: t(lang, `outage.status.${o.status}`),
      count: r.notified,
    });
  } catch (err) {
    return explain(err, '', lang);
  }
}

export async function updateOutage(ctx: OutageCommandContext, id: string, patch: { status?: OutageStatus; eta?: Date | null }): Promise<string> {
  const { lang } = ctx;
  try {
    const r = await ctx.outages.update(id, {
      ...(patch.status ? { status: patch.status } : {}),
      ...(patch.eta !== undefined ? { estimatedEndAt: patch.eta } : {}),
    });
    const o = r.outage;
    if (!r.changed) return o.status === 'resolved' ? t(lang, 'team.outageWasResolved', { id: o.id }) : t(lang, 'team.outageUnchanged', { id: o.id });
    if (o.status === 'resolved') return t(lang, 'team.outageClosed', { id: o.id, count: r.notified });
    const eta = o.estimatedEndAt ? t(lang, 'outage.eta', { time: localTime(o.estimatedEndAt, ctx.timezone, lang) }) : '';
    return t(lang, 'team.outageChanged', { id: o.id, title: titleOf(o, lang), status: t(lang, `outage.status.${o.status}`), eta, count: r.notified });
  } catch (err) {
    return explain(err, id, lang);
  }
}

export async function resolveOutage(ctx: OutageCommandContext, id: string): Promise<string> {
  const { lang } = ctx;
  try {
    const r = await ctx.outages.resolve(id, ctx.actor);
    return r.changed ? t(lang, 'team.outageClosed', { id: r.outage.id, count: r.notified }) : t(lang, 'team.outageWasResolved', { id: r.outage.id });
  } catch (err) {
    return explain(err, id, lang);
  }
}

/** The outages in progress, one line each (with the id the other commands take). */
export async function listOutages(ctx: Pick<OutageCommandContext, 'outages' | 'lang' | 'timezone'>): Promise<string> {
  const { lang } = ctx;
  const rows = await ctx.outages.active();
  if (!rows.length) return t(lang, 'team.outageNone');
  const lines = rows.map((o) =>
    t(lang, 'team.outageLine', {
      id: o.id,
      title: titleOf(o, lang),
      areas: asList(o.areas).join(', '),
      services: asList(o.services).join(', '),
      status: t(lang, `outage.status.${o.status}`),
      since: localTime(o.startedAt, ctx.timezone, lang),
      eta: o.estimatedEndAt ? t(lang, 'outage.eta', { time: localTime(o.estimatedEndAt, ctx.timezone, lang) }) : '',
    }),
  );
  return [t(lang, 'team.outageListTitle', { count: rows.length }), ...lines].join('\n');
}
