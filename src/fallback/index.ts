/** The public entry of src/fallback/: what other features and the app module may use. */
export {
  enqueueFallbackSend,
  planFallbacks,
  planWithoutZalo,
  scheduleDeliveryCheck,
  zaloFailureReason,
} from './plan-fallback.ts';
export { fallbackRoutes } from './routes.ts';
export { fallbackTasks } from './tasks.ts';
