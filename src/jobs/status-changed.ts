import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { planWithoutZalo } from '../fallback/plan-fallback.ts';
import { planNotifications } from '../notifications/plan-notifications.ts';

export const ZStatusChanged = z.object({
  dossierId: z.number().int(),
  journalId: z.number().int(),
  fromStatus: z.number().int().nullable(),
  toStatus: z.number().int(),
  action: z.string().optional(),
});

/** `dossier.status_changed` (enqueued in the transition's transaction): plans the citizen's messages. */
export function statusChangedTask(app: AppContext): Task {
  return async (payload, helpers) => {
    const event = ZStatusChanged.parse(payload);
    const { created, byPhone } = await planNotifications(app, event);
    if (!byPhone) {
      // No Zalo message by phone for this change (no opt-in, or a fixed line): SMS / email if the policy says so.
      created.push(...(await planWithoutZalo(app, event.journalId)));
    }
    helpers.logger.debug(
      `dossier ${event.dossierId} journal ${event.journalId}: ${created.length} notification(s)`,
    );
  };
}
