/** The public entry of src/lookup/: what other features and the app module may use. */
export { codeFromLookupUrl, findDossierCodes } from './codes-in-text.ts';
export type { LookupView } from './lookup-dossier.ts';
export { findDossierForLookup, findDossiersForLookup, presentLookup } from './lookup-dossier.ts';
export { maskName } from './privacy.ts';
export { lookupRoutes } from './routes.ts';
export { signedLookupUrl } from './signed-link.ts';
export { WindowLimiter } from './window-limiter.ts';
export { codeFormatHint, deadlineText, vnDateTime } from './wording.ts';
