/** The public entry of src/ratings/: what other features and the app module may use. */
export { ratingRoutes } from './routes.ts';
export { FEEDBACK_EVENT, ratingLinkOfJournal, recordZaloFeedback } from './service.ts';
