import { EventEmitter } from 'node:events';
import { run, type TaskList, type WorkerEvents, Logger as WorkerLogger } from 'graphile-worker';
import type pg from 'pg';
import type { AppContext } from '../app-context.ts';
import { pruneSessions } from '../auth/sessions.ts';
import { FALLBACK_CHECK_TASK, FALLBACK_SEND_TASK } from '../fallback/plan-fallback.ts';
import { fallbackCheckTask, fallbackSendTask } from '../fallback/tasks.ts';
import type { Logger } from '../logger.ts';
import { startDispatcher } from '../notifications/dispatcher.ts';
import { startPublicStatsRefresher } from '../public-stats/refresh.ts';
import { pruneHits } from '../rate-limit/counter.ts';
import { startEventProcessor } from '../zalo/event-lane.ts';
import { pruneProcessedEvents } from '../zalo/event-retention.ts';
import { ZALO_EVENT_TASK, zaloEventTask } from '../zalo/event-task.ts';
import { startReceiptRecorder } from '../zalo/receipts.ts';
import { startStatusChangePlanner } from './status-change-lane.ts';
import { STATUS_CHANGED_TASK, statusChangedTask } from './status-changed.ts';
import { sweepDeadWorkers, watchWorkerLiveness } from './worker-liveness.ts';

/** The same warning or error of graphile-worker is written at most once in this long. */
const REPEAT_QUIET_MS = 30_000;

/**
 * graphile-worker's log lines go through our pino logger. While PostgreSQL is down it says the same thing at
 * every poll, every two seconds: a repeated warning or error is written once per 30 s, with how many times it
 * was said meanwhile.
 */
export function workerLogger(logger: Logger, now: () => number = Date.now): WorkerLogger {
  const said = new Map<string, { at: number; repeated: number }>();
  return new WorkerLogger((scope) => (level, message, meta) => {
    const method =
      level === 'error' ? 'error' : level === 'warning' ? 'warn' : level === 'info' ? 'info' : 'debug';
    if (method === 'error' || method === 'warn') {
      const last = said.get(message);
      if (last && now() - last.at < REPEAT_QUIET_MS) {
        last.repeated++;
        return;
      }
      if (said.size >= 100) {
        said.clear();
      }
      said.set(message, { at: now(), repeated: 0 });
      logger[method]({ scope, ...meta, ...(last?.repeated ? { repeated: last.repeated } : {}) }, message);
      return;
    }
    logger[method]({ scope, ...meta }, message);
  });
}

/** Every graphile-worker task of the worker role (Zalo sends and receipts have their own lanes). */
export function taskList(app: AppContext): TaskList {
  return {
    [STATUS_CHANGED_TASK]: statusChangedTask(app),
    [ZALO_EVENT_TASK]: zaloEventTask(app),
    [FALLBACK_SEND_TASK]: fallbackSendTask(app),
    [FALLBACK_CHECK_TASK]: fallbackCheckTask(app),
    maintenance_prune: async () => {
      await pruneHits(app.db, app.clock());
      await pruneSessions(app.db, app.clock());
      await pruneProcessedEvents(app);
    },
  };
}

export interface WorkerRole {
  stop(): Promise<void>;
}

/**
 * Starts the worker role on the shared pool: graphile-worker's jobs, with heartbeats and a sweep that frees
 * jobs left locked by pools that died (run once now, so a restarted node picks up its predecessor's jobs at
 * once); the planners that turn status changes into the citizens' messages; the Zalo dispatcher that sends
 * them; the recorder of their delivery receipts; and the processor of the other webhook events (the bot).
 */
export async function startWorker(app: AppContext, pool: pg.Pool): Promise<WorkerRole> {
  const liveness = watchWorkerLiveness(app.db, app.logger, app.config.worker.deadAfterSeconds);
  const events: WorkerEvents = new EventEmitter();
  events.on(
    'pool:create',
    ({ workerPool }) => void liveness.poolStarted(workerPool.id).catch(() => undefined),
  );
  events.on(
    'pool:release',
    ({ workerPool }) => void liveness.poolStopped(workerPool.id).catch(() => undefined),
  );
  await sweepDeadWorkers(app.db, app.config.worker.deadAfterSeconds, app.logger);
  const runner = await run({
    events,
    pgPool: pool,
    concurrency: app.config.worker.concurrency,
    taskList: taskList(app),
    logger: workerLogger(app.logger.child({ role: 'worker' })),
    crontab: '0 * * * * maintenance_prune',
    noHandleSignals: true,
    pollInterval: 1000,
    preset: {
      worker: {
        // Under a backlog (a burst of status changes), fetch jobs by the batch and mark them done by the batch:
        // two statements per job cost more than planning the job's message. A node that dies with jobs in its
        // local queue has them freed by the dead-pool sweep, as for jobs it was running.
        localQueue: { size: Math.max(2, app.config.worker.concurrency) },
        completeJobBatchDelay: 0,
        failJobBatchDelay: 0,
      },
    },
  });
  void runner.promise.finally(() => liveness.stop());
  const lanes = [
    startStatusChangePlanner(app, pool),
    startDispatcher(app, pool),
    startReceiptRecorder(app, pool),
    startEventProcessor(app, pool),
    // Issue 22: the public scoreboard's per-day figures, refreshed incrementally every minute.
    startPublicStatsRefresher(app),
  ];
  return {
    async stop() {
      await Promise.all(lanes.map((l) => l.stop()));
      await runner.stop();
    },
  };
}
