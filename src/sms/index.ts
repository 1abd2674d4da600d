/** The public entry of src/sms/: what other features and the app module may use. */
export { smsDeliveryReportRoutes } from './delivery-reports.ts';
export { smsProviderFor } from './providers.ts';
export { isReservedSmsNumber } from './sandbox.ts';
export { smsSandboxRoutes } from './sandbox-routes.ts';
