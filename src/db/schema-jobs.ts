import type { Generated } from 'kysely';
import type { CreatedAt, Json, Timestamp } from './column-types.ts';

/** Tables of the background work (src/jobs): jobs, and the scheduled items' leases. */

/** A job for later (a fallback SMS to send, a delivery to check): written in the transaction that calls for it. */
export interface JobTable {
  id: Generated<number>;
  /** Which task runs it (src/app-background.ts lists them). */
  task: string;
  payload: Json<unknown>;
  /** At most one job per key: a second one replaces or keeps the first (enqueueJob's `onKey`). */
  key: string | null;
  run_at: Timestamp;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  /** Lease of the node running it now, or the time of its next try after a failure. */
  claimed_until: Timestamp | null;
  last_error: string | null;
  /** Set when the job was given up after max_attempts (an alert says so). */
  failed_at: Timestamp | null;
  created_at: CreatedAt;
}

/** One row per scheduled item (src/jobs/scheduler.ts): the node that takes a period's run holds its lease. */
export interface ScheduledTaskTable {
  name: string;
  /** When the next period starts: the first node to see it passed takes the run. */
  next_run_at: Timestamp;
  claimed_until: Timestamp | null;
  last_started_at: Timestamp | null;
  last_finished_at: Timestamp | null;
  last_error: string | null;
}
