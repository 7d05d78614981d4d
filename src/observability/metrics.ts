/** Prometheus metrics served at /metrics. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  inbound: Counter<'channel'>;
  /** Inbound events acknowledged to the platform but not acted on (reason "flood": over the per-sender limit). */
  inboundDropped: Counter<'channel' | 'reason'>;
  outbound: Counter<'channel' | 'status'>;
  ticketsOpened: Counter<'category'>;
  outboxDepth: Gauge;
  /** Billed SMS segments sent (Czech diacritics make UCS-2: 70 characters a segment instead of 160). */
  smsSegments: Counter;
  httpDuration: Histogram<'route' | 'status'>;
  /** Tickets whose first reaction came by their reaction deadline... */
  slaMet: Counter;
  /** ...and those whose deadline passed without one (each ticket counted once, in one of the two). */
  slaMissed: Counter;
  /** Tickets resolved by their resolution deadline... */
  resolutionMet: Counter;
  /** ...and those whose resolution deadline passed first (each ticket with one counted once, in one of the two). */
  resolutionMissed: Counter;
}

/** Creates a fresh registry; `outboxDepth` is read from the database at each scrape. */
export function createMetrics(readOutboxDepth?: () => Promise<number>): Metrics {
  const registry = new Registry();
  // prom-client names them process_* and nodejs_*: with the prefix, linka_process_cpu_user_seconds_total, linka_nodejs_heap_size_used_bytes...
  collectDefaultMetrics({ register: registry, prefix: 'linka_' });
  return {
    registry,
    inbound: new Counter({ name: 'linka_inbound_total', help: 'Inbound events accepted, by channel', labelNames: ['channel'], registers: [registry] }),
    inboundDropped: new Counter({
      name: 'linka_inbound_dropped_total',
      help: 'Inbound events acknowledged but dropped, by channel and reason',
      labelNames: ['channel', 'reason'],
      registers: [registry],
    }),
    outbound: new Counter({
      name: 'linka_outbound_total',
      help: 'Outbound messages by channel and delivery status',
      labelNames: ['channel', 'status'],
      registers: [registry],
    }),
    ticketsOpened: new Counter({ name: 'linka_tickets_opened_total', help: 'Tickets opened, by category', labelNames: ['category'], registers: [registry] }),
    smsSegments: new Counter({ name: 'linka_sms_segments_total', help: 'Billed SMS segments sent', registers: [registry] }),
    slaMet: new Counter({ name: 'linka_sla_met_total', help: 'Tickets with a first reaction by their reaction deadline', registers: [registry] }),
    slaMissed: new Counter({ name: 'linka_sla_missed_total', help: 'Tickets whose reaction deadline passed without a reaction', registers: [registry] }),
    resolutionMet: new Counter({ name: 'linka_resolution_met_total', help: 'Tickets resolved by their resolution deadline', registers: [registry] }),
    resolutionMissed: new Counter({
      name: 'linka_resolution_missed_total',
      help: 'Tickets whose resolution deadline passed before they were resolved',
      registers: [registry],
    }),
    outboxDepth: new Gauge({
      name: 'linka_outbox_depth',
      help: 'Outbox items waiting for delivery',
      registers: [registry],
      async collect() {
        if (readOutboxDepth) this.set(await readOutboxDepth().catch(() => -1));
      },
    }),
    httpDuration: new Histogram({
      name: 'linka_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}
