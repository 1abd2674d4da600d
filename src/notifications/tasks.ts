import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { sendNotification } from './send-notification.ts';

/** `notification.send`: one send attempt; retries are scheduled by the task itself, never lost. */
export function sendNotificationTask(app: AppContext): Task {
  return async (payload, helpers) => {
    const { notificationId } = z.object({ notificationId: z.number().int() }).parse(payload);
    const result = await sendNotification(app, notificationId);
    helpers.logger.debug(`notification ${notificationId}: ${result}`);
  };
}
