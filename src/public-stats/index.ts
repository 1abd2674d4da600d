/** The public entry of src/public-stats/: what other features and the app module may use. */
export { REFRESH_MS, refreshPublicStats } from './refresh.ts';
export { publicStatsRoutes } from './routes.ts';
