/**
 * The outage API (docs/architecture.md, "The contract"), behind `Authorization: Bearer $LINKA_API_TOKEN`:
 *   POST /api/outages               declare (201; 200 when `key` named an open outage)
 *   POST /api/outages/:id           update (any of the declaration's fields)
 *   POST /api/outages/:id/resolve   resolve (idempotent)
 *   GET  /api/outages               the outages not yet resolved
 * `:id` is the outage's id or its `key`. Notices go through the outbox like everything else.
 */
import { z } from 'zod';
import { OUTAGE_SERVICES, OUTAGE_STATUSES } from '../../domain/outages.js';
import { json, type HttpResponse, type Route, type RouteRequest } from '../http.js';
import { type OutageInput, type OutagePatch, type OutageResult, type Outages, outageView } from '../../services/outages.js';
import { isUniqueViolation, outageErrorAnswer, parseBody } from './common.js';

/** "2026-11-24T14:30:00+01:00", "2026-11-24T13:30Z": an instant needs its offset. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
const instant = z
  .string()
  .regex(ISO_INSTANT, 'expected an ISO 8601 date and time with an offset, e.g. 2026-11-24T14:30:00+01:00')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real date and time')
  .transform((s) => new Date(s));

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const texts = z.strictObject({ cs: text(1000).optional(), sk: text(1000).optional(), en: text(1000).optional() });
const fields = {
  title: z.string().trim().max(200, 'at most 200 characters'),
  areas: z.array(text(100), { error: 'expected a list of area names, e.g. ["Plzeň-Bory"]' }).min(1, 'name at least one area').max(500),
  services: z.array(z.enum(OUTAGE_SERVICES, { error: `expected one of ${OUTAGE_SERVICES.join(', ')}` })).min(1, 'name at least one service'),
  status: z.enum(OUTAGE_STATUSES, { error: `expected one of ${OUTAGE_STATUSES.join(', ')}` }),
  estimatedEnd: instant.nullable(),
  texts,
};

/** The body of POST /api/outages. */
export const declareSchema = z.strictObject({
  key: text(200).optional(),
  title: fields.title.optional(),
  areas: fields.areas,
  services: fields.services.optional(),
  status: fields.status.refine((s) => s !== 'resolved', 'an outage cannot be declared resolved; POST /api/outages/:id/resolve resolves one').optional(),
  estimatedEnd: fields.estimatedEnd.optional(),
  texts: texts.optional(),
});

/** The body of POST /api/outages/:id: every field optional; `estimatedEnd: null` clears the estimate. */
export const updateSchema = z.strictObject({
  title: fields.title.optional(),
  areas: fields.areas.optional(),
  services: fields.services.optional(),
  status: fields.status.optional(),
  estimatedEnd: fields.estimatedEnd.optional(),
  texts: texts.optional(),
});

/** Texts in a fixed key order (cs, en, sk: PostgreSQL's jsonb order too), so a repeat compares equal. */
function orderedTexts(t: z.output<typeof texts> | undefined): OutageInput['texts'] {
  if (!t) return undefined;
  const out: Record<string, string> = {};
  for (const lang of ['cs', 'en', 'sk'] as const) if (t[lang]) out[lang] = t[lang];
  return out;
}

const resultView = (r: OutageResult) => ({ outage: outageView(r.outage), changed: r.changed, notified: r.notified });

/**
 * Declares, retrying once when another request created the same key in between (two
 * Alertmanager replicas sending one notification): the retry finds it and updates it.
 */
export async function declareOnce(outages: Outages, input: OutageInput): Promise<OutageResult> {
  try {
    return await outages.declare(input);
  } catch (err) {
    if (input.key && isUniqueViolation(err)) return outages.declare(input);
    throw err;
  }
}

export interface ApiDeps {
  outages: Outages;
  /** Answers the request itself when it may not proceed (bearerGuard). */
  guard: (r: RouteRequest) => HttpResponse | null;
}

export function outageRoutes({ outages, guard }: ApiDeps): Route[] {
  const guarded =
    (handler: (r: RouteRequest) => Promise<HttpResponse>) =>
    async (r: RouteRequest): Promise<HttpResponse> => {
      const refused = guard(r);
      if (refused) return refused;
      try {
        return await handler(r);
      } catch (err) {
        return outageErrorAnswer(err);
      }
    };

  return [
    {
      method: 'POST',
      path: '/api/outages',
      handler: guarded(async (r) => {
        const parsed = parseBody(r, declareSchema);
        if (!parsed.ok) return parsed.answer;
        const b = parsed.value;
        const result = await declareOnce(outages, {
          key: b.key ?? null,
          title: b.title ?? null,
          areas: b.areas,
          services: b.services ?? ['internet'],
          status: b.status,
          estimatedEndAt: b.estimatedEnd ?? null,
          texts: orderedTexts(b.texts),
          source: 'api',
          actor: 'api',
        });
        // A new outage has revision 0; a key that named an open one updated it (or changed nothing).
        const created = result.changed && result.outage.revision === 0;
        return json(created ? 201 : 200, { ...resultView(result), created });
      }),
    },
    {
      method: 'POST',
      path: '/api/outages/:id',
      handler: guarded(async (r) => {
        const parsed = parseBody(r, updateSchema, {});
        if (!parsed.ok) return parsed.answer;
        const b = parsed.value;
        const patch: OutagePatch = {
          ...(b.title !== undefined ? { title: b.title } : {}),
          ...(b.areas ? { areas: b.areas } : {}),
          ...(b.services ? { services: b.services } : {}),
          ...(b.status ? { status: b.status } : {}),
          ...(b.estimatedEnd !== undefined ? { estimatedEndAt: b.estimatedEnd } : {}),
          ...(b.texts ? { texts: orderedTexts(b.texts) } : {}),
        };
        return json(200, resultView(await outages.update(r.params.id as string, patch)));
      }),
    },
    {
      method: 'POST',
      path: '/api/outages/:id/resolve',
      handler: guarded(async (r) => json(200, resultView(await outages.resolve(r.params.id as string, 'api')))),
    },
    {
      method: 'GET',
      path: '/api/outages',
      handler: guarded(async () => json(200, { outages: (await outages.active()).map(outageView) })),
    },
  ];
}
