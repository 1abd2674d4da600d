import type { FastifyInstance } from 'fastify';
import { SCHEDULE, WORKER_LANES } from './app-background.ts';
import { createAppContext } from './app-context.ts';
import { startZalo } from './app-zalo.ts';
import { loadConfigOrExit } from './config.ts';
import { connectDatabase } from './db/connect.ts';
import { demoBanner, loadDemoData, productionDataProblems } from './demo/index.ts';
import { buildServer } from './http/server.ts';
import {
  giveWayToWebNodes,
  type Scheduler,
  startScheduler,
  startWorker,
  type WorkerRole,
} from './jobs/index.ts';
import { createLogger } from './logger.ts';
import { type MetricsServer, startMetricsServer, watchMetricsSources } from './operations/index.ts';

/** Start: config → database (embedded unless DATABASE_URL) → migrations → demo data → web and/or worker. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  if (config.role === 'worker') {
    giveWayToWebNodes(config.worker.nice, logger);
  }

  const database = await connectDatabase(config, logger, { stopAdoptedServer: true });
  if (database.migrations.length > 0) {
    logger.info({ migrations: database.migrations }, 'database migrated');
  }
  const app = createAppContext(database.db, config, logger);

  let server: FastifyInstance | undefined;
  let worker: WorkerRole | undefined;
  let scheduler: Scheduler | undefined;
  let metricsServer: MetricsServer | undefined;
  let startup: Promise<void> = Promise.resolve();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    // Never hang on the way out: work still claimed comes back to the other nodes when its lease ends, and an
    // embedded PostgreSQL left running is adopted by the next start.
    setTimeout(() => {
      logger.error('stopping took longer than 30 s: exiting anyway');
      process.exit(1);
    }, 30_000).unref();
    // A signal during start-up: let it finish, then undo it in order.
    await startup.catch(() => undefined);
    await scheduler?.stop();
    await metricsServer?.close();
    await server?.close();
    await worker?.stop();
    await database.close();
    process.exit(0);
  };
  // The embedded PostgreSQL, if any, is stopped by database.close(), after everything that uses it.
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  startup = (async () => {
    if (config.isProduction) {
      const problems = await productionDataProblems(app);
      if (problems.length > 0) {
        process.stderr.write(
          `Refusing to start in production:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`,
        );
        await database.close();
        process.exit(1);
      }
    }
    if (config.demoData) {
      await loadDemoData(app);
    }
    if (config.role !== 'worker') {
      server = await buildServer(app);
      await server.listen({ port: config.http.port, host: config.http.host });
    }
    await startZalo(app, server?.zaloSandbox);
    if (config.role !== 'web') {
      worker = await startWorker(app, database.pool, WORKER_LANES);
    }
    // Every node, whatever its role: each scheduled item runs once per period across the nodes.
    scheduler = startScheduler(app, SCHEDULE);
    if (config.metrics.token || config.metrics.port) {
      watchMetricsSources(app, database.pool);
    }
    if (config.metrics.port) {
      metricsServer = await startMetricsServer(app);
    }
    // One line when the node is ready (a log shipper or a deployment script can wait for it).
    logger.info({ role: config.role, port: server ? config.http.port : undefined }, 'started');
    if (config.demoData && server) {
      printDemoBanner(config.http.publicBaseUrl);
    }
  })();
  await startup;
}

function printDemoBanner(baseUrl: string): void {
  process.stdout.write(demoBanner(baseUrl));
}

await main();
