/** The public entry of src/connector/: what other features and the app module may use. */
export { callbackLane, pruneCallbackHistory } from './callback-lane.ts';
export { connectorAdminRoutes, connectorOfficerRoutes, connectorRoutes } from './routes.ts';
