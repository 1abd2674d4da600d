import type { AppContext } from '../app-context.ts';
import { mailAlerts } from './alert-mail.ts';
import { evaluateHealth, type HealthCheck } from './health-checks.ts';

/**
 * The periodic evaluation of the alerts, with the features' own `checks`, and the e-mails about them
 * (docs/operations.md): an item of the scheduler (src/app-background.ts), which runs on every node, web-only
 * ones included, so that "no worker seen" is noticed by a node that is not the missing worker; once per
 * HEALTH_CHECK_SECONDS across the nodes.
 */
export async function runHealthChecks(app: AppContext, checks: readonly HealthCheck[]): Promise<void> {
  await evaluateHealth(app, checks);
  await mailAlerts(app);
}
