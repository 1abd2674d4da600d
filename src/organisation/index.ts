/** The public entry of src/organisation/: what other features and the app module may use. */
export { requireAgency } from './agencies.ts';
export { DESK_MODE_LABELS, deskModeOf, refuseOfficerInConnectedAgency, setDeskMode } from './desk-mode.ts';
export { organisationRoutes } from './routes.ts';
