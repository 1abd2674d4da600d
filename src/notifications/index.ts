/** The public entry of src/notifications/: what other features and the app module may use. */
export { bindingLabel, ensureDefaultBindings } from './bindings.ts';
export { notificationRoutes } from './routes.ts';
export { failedStatusChanges, retryFailedStatusChanges, statusChangeLane } from './status-change-lane.ts';
export { templateBindingRoutes } from './template-routes.ts';
