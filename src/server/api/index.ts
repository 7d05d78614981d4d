/**
 * The token-protected HTTP API: the outage API, balances and the Alertmanager webhook. Both answer only
 * with `Authorization: Bearer $LINKA_API_TOKEN`; without LINKA_API_TOKEN they are off (503).
 */
import type { LinkaConfig } from '../../config/schema.js';
import type { Route } from '../http.js';
import type { Logger } from '../../observability/logger.js';
import type { Outages } from '../../services/outages.js';
import { alertmanagerRoutes } from './alertmanager.js';
import { bearerGuard } from './common.js';
import { outageRoutes } from './outages.js';
import { balanceRoutes } from './balances.js';
import { customerRoutes } from './customers.js';
import { paymentSettings } from '../../services/payments.js';
import type { PrismaClient } from '../../store/types.js';

/** Shorter tokens are guessable; Linka still accepts them, with a warning. */
const MIN_TOKEN_LENGTH = 24;

export function apiRoutes(deps: {
  env: NodeJS.ProcessEnv;
  config: LinkaConfig;
  outages: Outages;
  log: Logger;
  prisma: PrismaClient;
  clock: () => Date;
  /** Customer channels that are on (notices to customers, the unreachable report). */
  customerChannels?: readonly string[];
  onQueued?: () => void;
}): {
  routes: Route[];
  status: string;
} {
  const token = deps.env.LINKA_API_TOKEN || undefined;
  if (token && token.length < MIN_TOKEN_LENGTH)
    deps.log.warn(`LINKA_API_TOKEN is shorter than ${MIN_TOKEN_LENGTH} characters: use a long random one (openssl rand -hex 32)`);
  const guard = bearerGuard(token);
  return {
    routes: [
      ...outageRoutes({ outages: deps.outages, guard }),
      ...alertmanagerRoutes({ outages: deps.outages, guard, settings: deps.config.outages.alertmanager, log: deps.log }),
      ...balanceRoutes({
        prisma: deps.prisma,
        clock: deps.clock,
        settings: paymentSettings(deps.config),
        guard,
        customerChannels: deps.customerChannels ?? [],
        shortSms: deps.config.sms.shortText,
        companyName: deps.config.company.name,
        onQueued: deps.onQueued,
      }),
      ...customerRoutes({ prisma: deps.prisma, guard }),
    ],
    status: token
      ? 'on'
      : 'off (LINKA_API_TOKEN is not set: /api/outages, /api/balances, /api/balances/unreachable, /api/customers and /alerts/alertmanager answer 503)',
  };
}
