/** The public entry of src/dossiers/: what other features and the app module may use. */
export { integrationDossierRoutes } from './integration-routes.ts';
export { TRANSITIONS } from './lifecycle.ts';
export type { DossierRecord } from './repo.ts';
export { CLOCK_RUNNING, findDossierByCode, journalOf, statusChange, statusChanges } from './repo.ts';
export { dossierRoutes } from './routes.ts';
export { formRuleSet } from './rule-sets.ts';
