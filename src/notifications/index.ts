/** The public entry of src/notifications/: what other features and the app module may use. */
export { bindingLabel, ensureDefaultBindings, findBinding } from './bindings.ts';
export { queueMessagesAwaitingTemplate } from './plan-notifications.ts';
export { notifyDue } from './repo.ts';
export { notificationRoutes } from './routes.ts';
export { failedStatusChanges, retryFailedStatusChanges, statusChangeLane } from './status-change-lane.ts';
export { statusChangeFacts, templateData, VALUE_SOURCES } from './template-values.ts';
