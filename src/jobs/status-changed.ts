import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';

export const ZStatusChanged = z.object({
  dossierId: z.number().int(),
  journalId: z.number().int(),
  fromStatus: z.number().int().nullable(),
  toStatus: z.number().int(),
  action: z.string().optional(),
});

/**
 * `dossier.status_changed`: enqueued in the transition's transaction. The notification pipeline (its own
 * issue) will create and send the citizen's messages here; until then the task records that it ran.
 */
export function statusChangedTask(app: AppContext): Task {
  return async (payload, helpers) => {
    const event = ZStatusChanged.parse(payload);
    helpers.logger.info(`status change of dossier ${event.dossierId} (journal ${event.journalId}) recorded`);
    app.logger.debug({ dossierId: event.dossierId, toStatus: event.toStatus }, 'status change handled');
  };
}
