/**
 * GET /api/balances/unreachable (same token): the customers who owe or are restricted but whom
 * no payment notice reaches (no channel on, or their address opted out), for the operator.
 *
 * POST /api/balances, behind `Authorization: Bearer $LINKA_API_TOKEN`: the customers'
 * outstanding balances from the accounting system, as `linka balances import` takes them.
 * Body: a JSON array of {contract, balance, dueDate?, currency?}; `balance` in minor units
 * (123450) or as text ("1 234,50"); `dueDate` YYYY-MM-DD (default: the config's due day of
 * this month). Every item is checked first (400 listing each by its index); one bad item
 * imports nothing. A balance of 0 marks the customer as paid. `restricted` (boolean) and
 * `restrictedSince` (YYYY-MM-DD) say the services are restricted for non-payment; an item
 * without them lifts a restriction, and the customer is told their services are back.
 */
import { z } from 'zod';
import { json, type HttpResponse, type Route, type RouteRequest } from '../http.js';
import { balanceDefaults, BalancesInvalid, checkBalances, importBalances } from '../../import/balances-csv.js';
import { type PaymentSettings, unreachableCustomers } from '../../services/payments.js';
import type { PrismaClient } from '../../store/types.js';
import { badRequest, parseBody } from './common.js';

const item = z.strictObject({
  contract: z.string().trim().min(1, 'must not be empty').max(40),
  balance: z.union([z.number().int('an integer of minor units, e.g. 123450'), z.string().max(40)], 'minor units (123450) or a text amount ("1 234,50")'),
  dueDate: z.string().max(20).nullable().optional(),
  currency: z.string().max(3).nullable().optional(),
  /** The services are restricted for non-payment; absent or false: not (a restriction is lifted). */
  restricted: z.boolean().nullable().optional(),
  /** Since when (YYYY-MM-DD); implies restricted. */
  restrictedSince: z.string().max(20).nullable().optional(),
});

/** The body of POST /api/balances. */
export const balancesSchema = z.array(item, 'expected a JSON array of {contract, balance}').min(1, 'send at least one balance').max(100_000);

export function balanceRoutes(deps: {
  prisma: PrismaClient;
  clock: () => Date;
  settings: PaymentSettings;
  guard: (r: RouteRequest) => HttpResponse | null;
  /** Customer channels that are on (the "services are back" notice and the unreachable report). */
  customerChannels: readonly string[];
  /** Use the `@sms` wording on SMS (config sms.shortText). */
  shortSms: boolean;
  /** config company.name: the signature of a notice sent by e-mail. */
  companyName?: string;
  /** Wakes the outbox after notices were queued. */
  onQueued?: () => void;
}): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/balances',
      handler: async (r) => {
        const refused = deps.guard(r);
        if (refused) return refused;
        const parsed = parseBody(r, balancesSchema);
        if (!parsed.ok) return parsed.answer;
        const now = deps.clock();
        const raw = parsed.value.map((b, i) => ({
          where: `[${i}]`,
          contract: b.contract,
          balance: b.balance,
          dueDate: b.dueDate ?? null,
          currency: b.currency ?? null,
          restricted: b.restricted ?? null,
          restrictedSince: b.restrictedSince ?? null,
        }));
        try {
          const rows = await checkBalances(deps.prisma, raw, balanceDefaults(deps.settings, now));
          const counts = await importBalances(deps.prisma, rows, now, {
            timezone: deps.settings.timezone,
            customerChannels: deps.customerChannels,
            shortSms: deps.shortSms,
            companyName: deps.companyName,
          });
          if (counts.lifted.length > counts.liftedUnreachable.length) deps.onQueued?.();
          return json(200, { imported: rows.length, ...counts });
        } catch (err) {
          if (!(err instanceof BalancesInvalid)) throw err;
          return badRequest(err.problems.map((p) => ({ path: p.where, message: p.message })));
        }
      },
    },
    {
      method: 'GET',
      path: '/api/balances/unreachable',
      handler: async (r) => {
        const refused = deps.guard(r);
        if (refused) return refused;
        return json(200, { customerChannels: deps.customerChannels, customers: await unreachableCustomers(deps.prisma, deps.customerChannels) });
      },
    },
  ];
}
