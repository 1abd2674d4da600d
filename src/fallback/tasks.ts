import { z } from 'zod';
import type { JobTask } from '../jobs/index.ts';
import { checkDelivery, FALLBACK_CHECK_TASK, FALLBACK_SEND_TASK } from './plan-fallback.ts';
import { sendFallback } from './send-fallback.ts';

const ZPayload = z.object({ notificationId: z.number().int() });

/** The fallback's jobs (src/jobs/job-queue.ts), run by the worker nodes' job lanes. */
export const fallbackTasks: Record<string, JobTask> = {
  /** One SMS or email attempt; retries are scheduled by the attempt itself (enqueued again under its key). */
  [FALLBACK_SEND_TASK]: async (app, payload) => {
    const { notificationId } = ZPayload.parse(payload);
    app.logger.debug({ notificationId }, `fallback: ${await sendFallback(app, notificationId)}`);
  },
  /** A Zalo message N minutes after it was sent: plans the fallback unless it was delivered. */
  [FALLBACK_CHECK_TASK]: async (app, payload) => {
    const { notificationId } = ZPayload.parse(payload);
    app.logger.debug({ notificationId }, `fallback check: ${await checkDelivery(app, notificationId)}`);
  },
};
