import { zaloEventLane, zaloSendLane } from './app-zalo.ts';
import { pruneSessions } from './auth/index.ts';
import { callbackLane, pruneCallbackHistory } from './connector/index.ts';
import { fallbackTasks } from './fallback/index.ts';
import type { OutboxLane } from './jobs/index.ts';
import {
  defineScheduledItem,
  graphileHandover,
  type JobTask,
  jobLane,
  type ScheduledItem,
} from './jobs/index.ts';
import { statusChangeLane } from './notifications/index.ts';
import type { HealthCheck } from './operations/index.ts';
import { runHealthChecks } from './operations/index.ts';
import { REFRESH_MS, refreshPublicStats } from './public-stats/index.ts';
import { pruneHits } from './rate-limit/index.ts';
import { checkZaloConnection, pruneProcessedEvents, receiptLane } from './zalo/index.ts';

/**
 * The one place that lists the features' background work, as src/app-routes.ts lists their routes: the lanes
 * of a worker node, the tasks of the `job` table and the scheduled items. src/jobs is the mechanism they run
 * on (lanes, backoff, wake-ups, the job queue, the scheduler, liveness) and imports no feature.
 */

/** The tasks of the `job` table (src/jobs/job-queue.ts), by name. */
export const JOB_TASKS: Record<string, JobTask> = { ...fallbackTasks };

/**
 * All the background work of a worker node, each an outbox claimed by lanes (src/jobs/lanes.ts): status
 * changes planned into the citizens' messages, the Zalo sends, their delivery receipts, the other webhook
 * events (the bot), the callbacks to connected one-stop software, and the jobs for later (fallback SMS / e-mail
 * and their delivery checks). Scheduled work (maintenance, health checks) is not here: it runs on every node,
 * see SCHEDULE below.
 */
export const WORKER_LANES: readonly OutboxLane[] = [
  statusChangeLane,
  zaloSendLane,
  receiptLane,
  zaloEventLane,
  jobLane(JOB_TASKS),
  callbackLane,
];

/**
 * Old rate-limit hits, expired sessions, processed webhook events past their retention, callback history past
 * its 30 days: once an hour.
 */
export const maintenance = defineScheduledItem({
  name: 'maintenance',
  everyMs: () => 3_600_000,
  async run(app) {
    await pruneHits(app.db, app.clock());
    await pruneSessions(app.db, app.clock());
    await pruneProcessedEvents(app);
    await pruneCallbackHistory(app);
  },
});

/**
 * The features' own health checks, run with the operations layer's (queues, workers, gateways): the Zalo OA
 * connection and its refresh token.
 */
export const HEALTH_CHECKS: readonly HealthCheck[] = [checkZaloConnection];

/** The alerts no send raises by itself, and the e-mails about alerts: every HEALTH_CHECK_SECONDS. */
export const healthChecks = defineScheduledItem({
  name: 'health_checks',
  everyMs: (app) => app.config.alerts.checkSeconds * 1000,
  run: (app) => runHealthChecks(app, HEALTH_CHECKS),
});

/** The public scoreboard's per-day figures (src/public-stats), refreshed incrementally every minute. */
export const publicStatsRefresh = defineScheduledItem({
  name: 'public_stats_refresh',
  everyMs: () => REFRESH_MS,
  async run(app) {
    await refreshPublicStats(app);
  },
});

/** Everything that runs by the clock: the one list, run by every node's scheduler (src/jobs/scheduler.ts). */
export const SCHEDULE: readonly ScheduledItem[] = [
  healthChecks,
  maintenance,
  publicStatsRefresh,
  graphileHandover,
];
