import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import client from 'prom-client';
import type { AppContext } from '../app-context.ts';
import { alertKindOf } from '../contracts/alerts.ts';
import { AppError } from '../errors.ts';
import { sameSecret } from '../http/same-secret.ts';
import { openAlerts } from './alerts.ts';
import { metricsOf } from './metrics.ts';
import { queueStats } from './queues.ts';

/**
 * Where the metrics come from and how Prometheus reads them: `GET /metrics` on the web port behind
 * METRICS_TOKEN, and/or on METRICS_PORT (any role: worker-only nodes have no web port). Off by default.
 *
 * Per app (src/app-caches.ts), beside its registry (operations/metrics.ts): the app and pool the gauges read (the ones pointed at last)
 * and whether the gauges are registered yet.
 */
function metricsSource(): { app?: AppContext; pool?: pg.Pool; registered: boolean } {
  return { registered: false };
}

/** What the database-backed gauges read, read once per scrape burst (several scrapers, one statement). */
const SNAPSHOT_MS = 5000;
type Snapshot = {
  at: number;
  data: Promise<{ queues: Awaited<ReturnType<typeof queueStats>>; alerts: string[] }>;
};
function snapshotHolder(): { current?: Snapshot } {
  return {};
}

function readSnapshot(source: { app?: AppContext }) {
  const { app } = source;
  if (!app) {
    return undefined;
  }
  const holder = app.caches.of(snapshotHolder);
  // Wall time, not the app clock: the burst is the scrapers' real seconds (a test's frozen clock would keep the
  // first snapshot for ever).
  const now = Date.now();
  if (!holder.current || now - holder.current.at > SNAPSHOT_MS) {
    const data = Promise.all([queueStats(app.db), openAlerts(app.db)]).then(([queues, alerts]) => ({
      queues,
      alerts: alerts.map((a) => a.key),
    }));
    const current = { at: now, data };
    data.catch(() => {
      if (holder.current === current) {
        holder.current = undefined;
      }
    });
    holder.current = current;
  }
  return holder.current.data;
}

/** Points the gauges at this node's database and pool; registers them (and Node's own metrics) once. */
export function watchMetricsSources(app: AppContext, pool?: pg.Pool): void {
  const source = app.caches.of(metricsSource);
  source.app = app;
  source.pool = pool ?? source.pool;
  if (source.registered) {
    return;
  }
  source.registered = true;
  const { registry } = metricsOf(app);
  client.collectDefaultMetrics({ register: registry });
  new client.Gauge({
    name: 'motcua_queue_depth',
    help: 'Items waiting in each queue (lane)',
    labelNames: ['lane'],
    registers: [registry],
    async collect() {
      const s = await readSnapshot(source)?.catch(() => undefined);
      for (const q of s?.queues ?? []) {
        this.set({ lane: q.lane }, q.depth);
      }
    },
  });
  new client.Gauge({
    name: 'motcua_queue_oldest_seconds',
    help: 'Age of the oldest item of each queue (0 when empty)',
    labelNames: ['lane'],
    registers: [registry],
    async collect() {
      const s = await readSnapshot(source)?.catch(() => undefined);
      for (const q of s?.queues ?? []) {
        this.set({ lane: q.lane }, q.oldestSeconds ?? 0);
      }
    },
  });
  new client.Gauge({
    name: 'motcua_alerts_open',
    help: 'Open alerts by kind (the same as the banner and the e-mails)',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      const s = await readSnapshot(source)?.catch(() => undefined);
      this.reset();
      const byKind = new Map<string, number>();
      for (const key of s?.alerts ?? []) {
        byKind.set(alertKindOf(key), (byKind.get(alertKindOf(key)) ?? 0) + 1);
      }
      for (const [kind, n] of byKind) {
        this.set({ kind }, n);
      }
    },
  });
  new client.Gauge({
    name: 'motcua_db_pool_connections',
    help: "This node's PostgreSQL pool: total, idle, and requests waiting for a connection",
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const pool = source.pool;
      if (pool) {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      }
    },
  });
}

/** `GET /metrics` on the web port, when METRICS_TOKEN is set: `Authorization: Bearer <token>`, else 401. */
export function metricsRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const token = app.config.metrics.token;
    if (!token) {
      return;
    }
    watchMetricsSources(app);
    const { registry } = metricsOf(app);
    fastify.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      const given = String(request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      if (!given || !sameSecret(given, token)) {
        void reply.header('www-authenticate', 'Bearer');
        throw new AppError(
          'bad_token',
          'Bad or missing METRICS_TOKEN bearer token',
          'Mã xác thực không hợp lệ.',
        );
      }
      return reply
        .header('content-type', registry.contentType)
        .header('cache-control', 'no-store')
        .send(await registry.metrics());
    });
  };
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** The metrics on METRICS_PORT (METRICS_HOST, loopback by default): a bare HTTP server, `GET /metrics` only. */
export async function startMetricsServer(
  app: AppContext,
  port = app.config.metrics.port ?? 0,
): Promise<MetricsServer> {
  watchMetricsSources(app);
  const { registry } = metricsOf(app);
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) =>
        res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(text),
      (err: Error) => {
        app.logger.warn({ err }, 'metrics could not be collected');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, app.config.metrics.host, () => resolve());
  });
  server.unref();
  const address = server.address();
  app.logger.info({ port: typeof address === 'object' && address ? address.port : port }, 'metrics served');
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
