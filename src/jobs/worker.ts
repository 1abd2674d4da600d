import { type Runner, run, type TaskList, Logger as WorkerLogger } from 'graphile-worker';
import type pg from 'pg';
import type { AppContext } from '../app-context.ts';
import type { Logger } from '../logger.ts';
import { SEND_TASK } from '../notifications/plan-notifications.ts';
import { sendNotificationTask } from '../notifications/tasks.ts';
import { pruneHits } from '../rate-limit/counter.ts';
import { ZALO_EVENT_TASK, zaloEventTask } from '../zalo/event-task.ts';
import { statusChangedTask } from './status-changed.ts';

/** graphile-worker's log lines go through our pino logger. */
export function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const method =
      level === 'error' ? 'error' : level === 'warning' ? 'warn' : level === 'info' ? 'info' : 'debug';
    logger[method]({ scope, ...meta }, message);
  });
}

/** Every task of the worker role. Later issues add notification sends and webhook processing here. */
export function taskList(app: AppContext): TaskList {
  return {
    'dossier.status_changed': statusChangedTask(app),
    [SEND_TASK]: sendNotificationTask(app),
    [ZALO_EVENT_TASK]: zaloEventTask(app),
    maintenance_prune: async () => {
      await pruneHits(app.db, app.clock());
    },
  };
}

/** Starts the worker role on the shared pool. */
export async function startWorker(app: AppContext, pool: pg.Pool): Promise<Runner> {
  return run({
    pgPool: pool,
    concurrency: app.config.worker.concurrency,
    taskList: taskList(app),
    logger: workerLogger(app.logger.child({ role: 'worker' })),
    crontab: '0 * * * * maintenance_prune',
    noHandleSignals: true,
    pollInterval: 1000,
  });
}
