import { pruneSessions } from '../auth/sessions.ts';
import { pruneCallbackHistory } from '../connector/callback-lane.ts';
import { REFRESH_MS, refreshPublicStats } from '../public-stats/refresh.ts';
import { pruneHits } from '../rate-limit/counter.ts';
import { pruneProcessedEvents } from '../zalo/event-retention.ts';
import { graphileHandover } from './graphile-handover.ts';
import { runHealthChecks } from './health-checks-runner.ts';
import { defineScheduledItem, type ScheduledItem } from './scheduler.ts';

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

/** The alerts no send raises by itself, and the e-mails about alerts: every HEALTH_CHECK_SECONDS. */
export const healthChecks = defineScheduledItem({
  name: 'health_checks',
  everyMs: (app) => app.config.alerts.checkSeconds * 1000,
  run: runHealthChecks,
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
