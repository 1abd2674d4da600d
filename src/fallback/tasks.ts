import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { checkDelivery } from './plan-fallback.ts';
import { sendFallback } from './send-fallback.ts';

const ZPayload = z.object({ notificationId: z.number().int() });

/** `fallback.send`: one SMS or email attempt; retries are scheduled by the task itself. */
export function fallbackSendTask(app: AppContext): Task {
  return async (payload, helpers) => {
    const { notificationId } = ZPayload.parse(payload);
    helpers.logger.debug(`fallback ${notificationId}: ${await sendFallback(app, notificationId)}`);
  };
}

/** `fallback.check`: a Zalo message N minutes after it was sent; plans the fallback unless it was delivered. */
export function fallbackCheckTask(app: AppContext): Task {
  return async (payload, helpers) => {
    const { notificationId } = ZPayload.parse(payload);
    helpers.logger.debug(`fallback check ${notificationId}: ${await checkDelivery(app, notificationId)}`);
  };
}
