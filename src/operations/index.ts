/** The public entry of src/operations/: what other features and the app module may use. */
export {
  AlertKeys,
  openAlerts,
  raiseAlert,
  resolveAlert,
  resolveAlerts,
  resolveAlertsOnSuccess,
} from './alerts.ts';
export {
  acceptedCorrelationId,
  currentCorrelationId,
  newCorrelationId,
  withCorrelation,
} from './correlation.ts';
export { recordGatewayOutcome } from './gateway-health.ts';
export type { HealthCheck } from './health-checks.ts';
export { runHealthChecks } from './health-checks-runner.ts';
export { countZaloError, metricsOf } from './metrics.ts';
export type { MetricsServer } from './metrics-exposure.ts';
export { metricsRoutes, startMetricsServer, watchMetricsSources } from './metrics-exposure.ts';
export { operationsRoutes } from './routes.ts';
