import type { AppContext } from '../app-context.ts';
import { planWithoutZalo } from '../fallback/index.ts';
import { planNotifications, type StatusChangedEvent } from './plan-notifications.ts';

/** Plans the citizen's messages for one status change; idempotent (one notification per change and channel). */
export async function planStatusChange(app: AppContext, event: StatusChangedEvent): Promise<number[]> {
  const { created, byPhone } = await planNotifications(app, event);
  if (!byPhone) {
    // No Zalo message by phone for this change (no opt-in, or a fixed line): SMS / email if the policy says so.
    created.push(...(await planWithoutZalo(app, event.journalId)));
  }
  return created;
}
