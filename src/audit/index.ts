/** The public entry of src/audit/: what other features and the app module may use. */
export { auditRoutes } from './routes.ts';
