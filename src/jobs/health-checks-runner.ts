import type { AppContext } from '../app-context.ts';
import { mailAlerts } from '../operations/alert-mail.ts';
import { evaluateHealth } from '../operations/health-checks.ts';

/**
 * The periodic evaluation of the alerts and the e-mails about them (docs/operations.md), next to the worker's
 * hourly maintenance job. It runs on EVERY node, web-only ones included, every HEALTH_CHECK_SECONDS: "no worker
 * seen" must be noticed by a node that is not the missing worker, so it cannot be a graphile-worker cron job
 * (those run on worker nodes only). Running on several nodes is harmless — the checks are idempotent and one
 * node at a time sends the e-mails — and costs a handful of small statements a minute per node.
 */
export interface HealthChecks {
  stop(): Promise<void>;
}

export async function runHealthChecks(app: AppContext): Promise<void> {
  await evaluateHealth(app);
  await mailAlerts(app);
}

export function startHealthChecks(app: AppContext): HealthChecks {
  let running: Promise<void> | undefined;
  let failures = 0;
  const tick = () => {
    if (running !== undefined) {
      return;
    }
    running = runHealthChecks(app)
      .then(() => {
        failures = 0;
      })
      .catch((err) => {
        failures++;
        // Once, then every tenth time: PostgreSQL being down is said by the lanes already.
        if (failures % 10 === 1) {
          app.logger.warn({ err, failures }, 'health checks failed');
        }
      })
      .finally(() => {
        running = undefined;
      });
  };
  // A first look soon after start (an alert raised while this node was down gets its e-mail), then regularly.
  const first = setTimeout(tick, 5000);
  const timer = setInterval(tick, app.config.alerts.checkSeconds * 1000);
  first.unref();
  timer.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
