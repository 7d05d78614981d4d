/**
 * `POST /alerts/alertmanager`: Prometheus Alertmanager's webhook (payload version 4), behind
 * the same bearer token as the API (Alertmanager sends it with `http_config.authorization`).
 * Each alert with an area label is an outage keyed "am:<fingerprint>": firing opens it (or
 * updates it, which for a repeated notification changes nothing and notifies nobody),
 * resolved resolves it. Alerts without an area label are ignored and listed in the answer.
 */
import { z } from 'zod';
import type { LinkaConfig } from '../../config/schema.js';
import { OUTAGE_SERVICES } from '../../domain/outages.js';
import { LinkaError } from '../../errors.js';
import { json, type HttpResponse, type Route, type RouteRequest } from '../http.js';
import type { Logger } from '../../observability/logger.js';
import type { OutageResult, Outages } from '../../services/outages.js';
import { outageErrorAnswer, parseBody } from './common.js';
import { declareOnce } from './outages.js';

export const ALERTMANAGER_PATH = '/alerts/alertmanager';

const labels = z.record(z.string(), z.string());
const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels,
  annotations: labels.default({}),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().trim().min(1, 'must not be empty').max(200),
});

/** The webhook body (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config); unknown fields are allowed. */
export const alertmanagerSchema = z.object({
  version: z.literal('4', { error: 'expected "4" (Alertmanager\'s webhook payload version)' }),
  receiver: z.string().default(''),
  status: z.enum(['firing', 'resolved']),
  alerts: z.array(alertSchema).max(5000),
  groupLabels: labels.default({}),
  commonLabels: labels.default({}),
  commonAnnotations: labels.default({}),
  externalURL: z.string().default(''),
  groupKey: z.string().default(''),
  truncatedAlerts: z.number().int().nonnegative().default(0),
});

type Alert = z.output<typeof alertSchema>;

export type AlertOutcome =
  | {
      fingerprint: string;
      alertname: string | null;
      action: 'opened' | 'updated' | 'unchanged' | 'resolved' | 'already resolved';
      outageId: string;
      notified: number;
    }
  | { fingerprint: string; alertname: string | null; action: 'ignored'; reason: string };

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** What an alert says about an outage: its areas, services and title (areas empty: not an outage). */
export function outageOfAlert(alert: Alert, settings: LinkaConfig['outages']['alertmanager']) {
  const label = settings.areaLabels.find((name) => list(alert.labels[name]).length > 0);
  const services = list(alert.labels[settings.serviceLabel])
    .map((s) => s.toLowerCase())
    .filter((s) => (OUTAGE_SERVICES as readonly string[]).includes(s));
  return {
    areas: label ? list(alert.labels[label]) : [],
    services: services.length ? [...new Set(services)] : ['internet'],
    title: alert.annotations.summary?.trim() || alert.labels.alertname?.trim() || '',
  };
}

export function alertmanagerRoutes(deps: {
  outages: Outages;
  guard: (r: RouteRequest) => HttpResponse | null;
  settings: LinkaConfig['outages']['alertmanager'];
  log: Logger;
}): Route[] {
  const { outages, settings, log } = deps;

  async function handleAlert(alert: Alert, receiver: string): Promise<AlertOutcome> {
    const key = `am:${alert.fingerprint}`;
    const base = { fingerprint: alert.fingerprint, alertname: alert.labels.alertname ?? null };
    if (alert.status === 'resolved') {
      let r: OutageResult;
      try {
        r = await outages.resolve(key, `alertmanager:${receiver}`);
      } catch (err) {
        if (err instanceof LinkaError && err.code === 'outage_not_found') return { ...base, action: 'ignored', reason: 'no outage for this alert' };
        throw err;
      }
      return { ...base, action: r.changed ? 'resolved' : 'already resolved', outageId: r.outage.id, notified: r.notified };
    }
    const what = outageOfAlert(alert, settings);
    if (what.areas.length === 0) return { ...base, action: 'ignored', reason: `no area label (${settings.areaLabels.join(', ')})` };
    // An open outage keeps its title (summaries often carry a changing value) and its status
    // (a technician's); only other areas or services are news. A repeat changes nothing.
    const open = (await outages.active()).find((o) => o.key === key);
    const r = open
      ? await outages.update(open.id, { areas: what.areas, services: what.services })
      : await declareOnce(outages, {
          key,
          title: what.title,
          areas: what.areas,
          services: what.services,
          source: 'alertmanager',
          actor: `alertmanager:${receiver}`,
        });
    const action = !r.changed ? 'unchanged' : r.outage.revision === 0 ? 'opened' : 'updated';
    return { ...base, action, outageId: r.outage.id, notified: r.notified };
  }

  return [
    {
      method: 'POST',
      path: ALERTMANAGER_PATH,
      async handler(r) {
        const refused = deps.guard(r);
        if (refused) return refused;
        const parsed = parseBody(r, alertmanagerSchema);
        if (!parsed.ok) return parsed.answer;
        const payload = parsed.value;
        if (payload.truncatedAlerts > 0) {
          log.warn(
            { groupKey: payload.groupKey, truncatedAlerts: payload.truncatedAlerts },
            'alertmanager: the notification left alerts out (max_alerts); they are not seen',
          );
        }
        const outcomes: AlertOutcome[] = [];
        try {
          // One at a time: alerts of one group often share an area, and each declaration is its own transaction.
          for (const alert of payload.alerts) outcomes.push(await handleAlert(alert, payload.receiver));
        } catch (err) {
          return outageErrorAnswer(err);
        }
        const ignored = outcomes.flatMap((o) => (o.action === 'ignored' ? [{ fingerprint: o.fingerprint, alertname: o.alertname, reason: o.reason }] : []));
        if (ignored.length) log.info({ groupKey: payload.groupKey, ignored }, 'alertmanager: alerts ignored');
        return json(200, {
          outages: outcomes.filter((o) => o.action !== 'ignored'),
          ignored,
          notified: outcomes.reduce((n, o) => n + ('notified' in o ? o.notified : 0), 0),
        });
      },
    },
  ];
}
