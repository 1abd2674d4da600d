import client from 'prom-client';
import type { AppContext } from '../app-context.ts';

/**
 * The product's Prometheus metrics (docs/operations.md). Counters and histograms are updated in memory where
 * things happen — never a database statement per request or per message; the queue gauges and the open
 * alerts are read from PostgreSQL when Prometheus scrapes (one statement, shared by scrapes within 5 s).
 * One registry per app (created with its caches, src/app-caches.ts): each node exposes its own counters, and
 * Prometheus sums them; two apps in one process (tests) do not count into each other's.
 */
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A registry and the product's metrics registered in it; `metricsOf(app)` is the app's. */
function createMetrics() {
  const registry = new client.Registry();
  return {
    registry,
    httpDuration: new client.Histogram({
      name: 'motcua_http_request_duration_seconds',
      help: 'HTTP requests by route pattern, method and status code',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: SECONDS_BUCKETS,
      registers: [registry],
    }),
    sends: new client.Counter({
      name: 'motcua_messages_sent_total',
      help: "Attempts to send a citizen's message, by channel and outcome (sent, transient, permanent, unreachable, wait, token, no_token)",
      labelNames: ['channel', 'outcome'] as const,
      registers: [registry],
    }),
    sendDuration: new client.Histogram({
      name: 'motcua_send_duration_seconds',
      help: 'Duration of one call to Zalo, the SMS gateway or the mail server',
      labelNames: ['channel'] as const,
      buckets: SECONDS_BUCKETS,
      registers: [registry],
    }),
    zaloErrors: new client.Counter({
      name: 'motcua_zalo_errors_total',
      help: "Zalo's refusals by error code (none: HTTP or network) and kind",
      labelNames: ['code', 'kind'] as const,
      registers: [registry],
    }),
    tokenRefreshes: new client.Counter({
      name: 'motcua_zalo_token_refreshes_total',
      help: 'Zalo access token refreshes by outcome (ok, refused: the connection is broken, transient)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    webhookEvents: new client.Counter({
      name: 'motcua_zalo_webhook_events_total',
      help: 'Zalo webhook events by event name and outcome (stored, duplicate, bad_signature, malformed)',
      labelNames: ['event', 'outcome'] as const,
      registers: [registry],
    }),
    receipts: new client.Counter({
      name: 'motcua_zalo_receipts_total',
      help: 'Delivery receipts recorded, by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    lookups: new client.Counter({
      name: 'motcua_lookups_total',
      help: "Citizens' look-ups by channel (web, api, zalo) and outcome (found, not_found, limited)",
      labelNames: ['channel', 'outcome'] as const,
      registers: [registry],
    }),
    alertMails: new client.Counter({
      name: 'motcua_alert_mails_total',
      help: 'E-mails to administrators about alerts, by kind (raised, reminder, resolved) and outcome',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
  };
}

export type AppMetrics = ReturnType<typeof createMetrics>;

/** This app's registry and metrics. */
export function metricsOf(app: Pick<AppContext, 'caches'>): AppMetrics {
  return app.caches.of(createMetrics);
}

/** The Zalo outcome kind of a failed attempt, as a `motcua_zalo_errors_total` sample. */
export function countZaloError(app: Pick<AppContext, 'caches'>, code: number | null, kind: string): void {
  metricsOf(app).zaloErrors.inc({ code: code === null ? 'none' : String(code), kind });
}
