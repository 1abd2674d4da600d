import type pg from 'pg';
import type { AppContext } from '../app-context.ts';
import { type OutboxLane, startOutboxLane } from './lanes.ts';
import { startHeartbeat } from './worker-liveness.ts';

export interface WorkerRole {
  stop(): Promise<void>;
}

/**
 * Starts the worker role on the shared pool: the given lanes (every feature's, listed in src/app-background.ts
 * as WORKER_LANES), and the node's heartbeat.
 */
export async function startWorker(
  app: AppContext,
  pool: pg.Pool,
  lanes: readonly OutboxLane[],
): Promise<WorkerRole> {
  const heartbeat = await startHeartbeat(app);
  const started = lanes.map((lane) => startOutboxLane(app, pool, lane));
  return {
    async stop() {
      await Promise.all(started.map((l) => l.stop()));
      await heartbeat.stop();
    },
  };
}
