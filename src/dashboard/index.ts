/** The public entry of src/dashboard/: what other features and the app module may use. */
export { dashboardRoutes } from './routes.ts';
export { ON_TIME } from './stats.ts';
