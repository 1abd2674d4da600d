import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';

/**
 * The heartbeat of a worker node (worker_node): what "no worker seen" (src/operations/health-checks.ts) and
 * the system status page read. It says nothing about the work itself: work a dead node held comes back to the
 * others when its lease ends (src/jobs/lanes.ts). A node that stops removes its row; the rows of nodes that
 * died (kill -9, power loss) are removed by the other worker nodes once silent for WORKER_DEAD_AFTER_SECONDS.
 */
export interface Heartbeat {
  nodeId: string;
  stop(): Promise<void>;
}

export async function startHeartbeat(app: AppContext): Promise<Heartbeat> {
  const deadAfterSeconds = app.config.worker.deadAfterSeconds;
  const nodeId = randomUUID();
  const beat = async () => {
    await app.db
      .insertInto('worker_node')
      .values({ pool_id: nodeId, pid: process.pid, hostname: hostname() })
      .onConflict((oc) => oc.column('pool_id').doUpdateSet({ last_seen_at: sql`now()` }))
      .execute();
    await app.db
      .deleteFrom('worker_node')
      .where('last_seen_at', '<', sql<Date>`now() - make_interval(secs => ${deadAfterSeconds})`)
      .execute();
  };
  await beat().catch((err) => app.logger.warn({ err }, 'worker heartbeat failed'));
  let failures = 0;
  const timer = setInterval(
    () =>
      void beat()
        .then(() => {
          failures = 0;
        })
        .catch((err) => {
          // Once, then every tenth time: PostgreSQL being down is said by the lanes already.
          if (failures++ % 10 === 0) {
            app.logger.warn({ err, failures }, 'worker heartbeat failed');
          }
        }),
    Math.max(500, (deadAfterSeconds * 1000) / 3),
  );
  timer.unref();
  return {
    nodeId,
    async stop() {
      clearInterval(timer);
      await app.db
        .deleteFrom('worker_node')
        .where('pool_id', '=', nodeId)
        .execute()
        .catch(() => undefined);
    },
  };
}
