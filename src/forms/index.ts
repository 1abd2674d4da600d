/** The public entry of src/forms/: what other features and the app module may use. */
export { formRoutes, integrationFormRoutes } from './routes.ts';
