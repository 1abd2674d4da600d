/** The public entry of src/jobs/: what other features and the app module may use. */

export type { Backoff } from './backoff.ts';
export { backoffMs } from './backoff.ts';
export { graphileHandover } from './graphile-handover.ts';
export type { JobTask } from './job-queue.ts';
export { enqueueJob, enqueueJobs, jobLane } from './job-queue.ts';
export type { OutboxLane } from './lanes.ts';
export { claimBatch, defineOutboxLane, handledTogether, workClaimed } from './lanes.ts';
export type { ScheduledItem, Scheduler } from './scheduler.ts';
export { defineScheduledItem, startScheduler } from './scheduler.ts';
export {
  CALLBACKS_CHANNEL,
  DUE_CHANNEL,
  EVENTS_CHANNEL,
  notifyDue,
  STATUS_CHANGES_CHANNEL,
  wakeCallbackSenders,
  wakeEventProcessors,
  wakeNotificationSenders,
  wakeStatusChangePlanners,
} from './wake.ts';
export type { WorkerRole } from './worker.ts';
export { startWorker } from './worker.ts';
export { giveWayToWebNodes } from './worker-priority.ts';
