import type pg from 'pg';
import type { AppContext } from '../app-context.ts';
import { zaloEventLane } from '../app-zalo-events.ts';
import { callbackLane } from '../connector/callback-lane.ts';
import { fallbackTasks } from '../fallback/tasks.ts';
import { receiptLane } from '../zalo/receipts.ts';
import { zaloSendLane } from '../zalo/send-lane.ts';
import { type JobTask, jobLane } from './job-queue.ts';
import { type OutboxLane, startOutboxLane } from './lanes.ts';
import { statusChangeLane } from './status-change-lane.ts';
import { startHeartbeat } from './worker-liveness.ts';

/** The tasks of the `job` table (src/jobs/job-queue.ts), by name. */
export const JOB_TASKS: Record<string, JobTask> = { ...fallbackTasks };

/**
 * All the background work of a worker node, each an outbox claimed by lanes (src/jobs/lanes.ts): status
 * changes planned into the citizens' messages, the Zalo sends, their delivery receipts, the other webhook
 * events (the bot), the callbacks to connected one-stop software, and the jobs for later (fallback SMS / e-mail and their delivery checks). Scheduled work
 * (maintenance, health checks) is not here: it runs on every node, see src/jobs/scheduler.ts.
 */
export const WORKER_LANES: readonly OutboxLane[] = [
  statusChangeLane,
  zaloSendLane,
  receiptLane,
  zaloEventLane,
  jobLane(JOB_TASKS),
  callbackLane,
];

export interface WorkerRole {
  stop(): Promise<void>;
}

/** Starts the worker role on the shared pool: every lane of WORKER_LANES, and the node's heartbeat. */
export async function startWorker(app: AppContext, pool: pg.Pool): Promise<WorkerRole> {
  const heartbeat = await startHeartbeat(app);
  const lanes = WORKER_LANES.map((lane) => startOutboxLane(app, pool, lane));
  return {
    async stop() {
      await Promise.all(lanes.map((l) => l.stop()));
      await heartbeat.stop();
    },
  };
}
