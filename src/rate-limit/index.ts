/** The public entry of src/rate-limit/: what other features and the app module may use. */
export { addHit, addHits, clearHits, pruneHits, removeHits, secondsToWindowEnd } from './counter.ts';
