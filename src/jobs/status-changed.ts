import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
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
    const created = await planNotifications(app, event);
    helpers.logger.debug(
      `dossier ${event.dossierId} journal ${event.journalId}: ${created.length} notification(s)`,
    );
  };
}
