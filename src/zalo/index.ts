/** The public entry of src/zalo/: what other features and the app module may use. */
export { bootstrapZalo } from './bootstrap.ts';
export type { CsButton } from './client.ts';
export { getUserDetail, sendConsultation } from './client.ts';
export type { ZaloEventHandlers } from './event-handlers.ts';
export { ReplyNotSent } from './event-handlers.ts';
export { defineZaloEventLane, processEvents } from './event-lane.ts';
export { pruneProcessedEvents } from './event-retention.ts';
export { processZaloEvent } from './event-task.ts';
export { checkZaloConnection } from './health-check.ts';
export { installationId } from './installation.ts';
export { receiptLane } from './receipts.ts';
export { zaloAdminRoutes } from './routes.ts';
export { open, seal } from './secret-box.ts';
export { zaloSendLane } from './send-lane.ts';
export { callWithToken, connectionHealth, TokenUnavailable } from './token-store.ts';
export { zaloWebhookRoutes } from './webhook-routes.ts';
