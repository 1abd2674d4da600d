import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { planWithoutZalo } from '../fallback/plan-fallback.ts';
import { planNotifications, type StatusChangedEvent } from '../notifications/plan-notifications.ts';

/** The graphile-worker task status changes were planned by before the outbox (see statusChangedTask). */
export const STATUS_CHANGED_TASK = 'dossier.status_changed';

export const ZStatusChanged = z.object({
  dossierId: z.number().int(),
  journalId: z.number().int(),
  fromStatus: z.number().int().nullable(),
  toStatus: z.number().int(),
  action: z.string().optional(),
});

/** Plans the citizen's messages for one status change; idempotent (one notification per change and channel). */
export async function planStatusChange(app: AppContext, event: StatusChangedEvent): Promise<number[]> {
  const { created, byPhone } = await planNotifications(app, event);
  if (!byPhone) {
    // No Zalo message by phone for this change (no opt-in, or a fixed line): SMS / email if the policy says so.
    created.push(...(await planWithoutZalo(app, event.journalId)));
  }
  return created;
}

/**
 * `dossier.status_changed`: the graphile-worker job status changes were planned by before the outbox of
 * src/jobs/status-change-lane.ts; kept so that jobs queued before an upgrade are still run.
 */
export function statusChangedTask(app: AppContext): Task {
  return async (payload, helpers) => {
    const event = ZStatusChanged.parse(payload);
    const created = await planStatusChange(app, event);
    helpers.logger.debug(
      `dossier ${event.dossierId} journal ${event.journalId}: ${created.length} notification(s)`,
    );
  };
}
