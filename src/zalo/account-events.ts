import type { Selectable } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Queryable } from '../db/pool.ts';
import type { ZaloEventTable } from '../db/schema.ts';
import { notifyDue } from '../jobs/index.ts';
import { AlertKeys, raiseAlert, resolveAlerts } from '../operations/index.ts';
import { templateWaitCause } from './send-refusal.ts';

/**
 * What Zalo tells the OA about its ZBS account (zalo-platform.md §3.3.1, §3.4 "Other ZBS events"): a template's
 * review or lock (`change_template_status`, the only place Zalo gives the reason of a rejection) and a change of
 * the daily sending quota (`change_oa_daily_quota`, the early warning that the quality ladder moved). zalo-platform.md
 * names these events only; their fields come from secondary sources (integrations' code and a compiled spec):
 * `template_id`, `status: {prev_status, new_status}`, `reason`; `oaId` (camel case on this event),
 * `quota: {prev_value, new_value}`. Missing fields make the event `ignored`, never an error. `change_template_quality` is stored and marked processed: no source gives
 * its fields, so nothing is concluded from it.
 */
export const TEMPLATE_STATUS_EVENT = 'change_template_status';
export const DAILY_QUOTA_EVENT = 'change_oa_daily_quota';
export const TEMPLATE_QUALITY_EVENT = 'change_template_quality';

export function isAccountEvent(eventName: string): boolean {
  return (
    eventName === TEMPLATE_STATUS_EVENT ||
    eventName === DAILY_QUOTA_EVENT ||
    eventName === TEMPLATE_QUALITY_EVENT
  );
}

/** What a template's new status means to the people who bind templates, in Vietnamese. */
const STATUS_WORDS: Record<string, string> = {
  REJECT: 'không duyệt',
  DISABLE: 'tạm khóa',
  DELETE: 'xóa',
};

/** Records one account event in the processing transaction `tx`; returns the event's outcome. */
export async function recordAccountEvent(
  app: AppContext,
  tx: Queryable,
  stored: Selectable<ZaloEventTable>,
): Promise<string> {
  const e = stored.raw as unknown as Record<string, unknown>;
  if (stored.event_name === TEMPLATE_STATUS_EVENT) {
    return templateStatusChanged(app, tx, e);
  }
  if (stored.event_name === DAILY_QUOTA_EVENT) {
    return dailyQuotaChanged(app, tx, e);
  }
  return 'recorded';
}

function text(v: unknown, max: number): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v).trim().slice(0, max) : '';
}

async function templateStatusChanged(
  app: AppContext,
  tx: Queryable,
  e: Record<string, unknown>,
): Promise<string> {
  const templateId = text(e.template_id, 50);
  const status = (e.status ?? {}) as { prev_status?: unknown; new_status?: unknown };
  const newStatus = text(status.new_status, 30).toUpperCase();
  if (!templateId || !newStatus) {
    return 'ignored: no template_id or status.new_status';
  }
  const reviewKey = AlertKeys.templateReview(templateId);
  if (newStatus === 'ENABLE') {
    // Approved (again): its messages waiting for it are due now rather than at their next 15-minute try.
    await resolveAlerts(app, { keys: [reviewKey, AlertKeys.template(templateId)] }, tx);
    const released = await tx
      .updateTable('notification')
      .set({ next_attempt_at: app.clock(), updated_at: app.clock() })
      .where('state', '=', 'waiting')
      .where('wait_cause', '=', templateWaitCause(templateId))
      .returning('id')
      .execute();
    if (released.length > 0) {
      // Every node's sender, this one's included, once this transaction commits.
      await notifyDue(tx);
    }
    return `template ${templateId} ENABLE: ${released.length} waiting messages released`;
  }
  const words = STATUS_WORDS[newStatus];
  if (!words) {
    return `template ${templateId} ${newStatus}`;
  }
  const bound = await tx
    .selectFrom('zalo_template_binding')
    .select('key')
    .where('template_id', '=', templateId)
    .execute();
  const reason = text(e.reason, 500);
  await raiseAlert(
    app,
    reviewKey,
    bound.length > 0 ? 'error' : 'warning',
    `Zalo ${words} mẫu tin ${templateId}${reason ? `. Lý do: ${reason}` : ''}.${
      bound.length > 0
        ? ` Mẫu tin đang được dùng (${bound.map((b) => b.key).join(', ')}): tin nhắn dùng mẫu này sẽ chờ cho tới khi mẫu được duyệt lại hoặc được thay.`
        : ''
    }`,
    { db: tx },
  );
  return `template ${templateId} ${newStatus}${bound.length > 0 ? ' (bound)' : ''}`;
}

async function dailyQuotaChanged(
  app: AppContext,
  tx: Queryable,
  e: Record<string, unknown>,
): Promise<string> {
  const quota = (e.quota ?? {}) as { prev_value?: unknown; new_value?: unknown };
  const before = Number(quota.prev_value);
  const after = Number(quota.new_value);
  if (!Number.isFinite(before) || !Number.isFinite(after)) {
    return 'ignored: no quota.prev_value or quota.new_value';
  }
  if (after >= before) {
    await resolveAlerts(app, { keys: [AlertKeys.dailyQuota] }, tx);
    return `daily quota ${before} → ${after}`;
  }
  const n = (v: number) => v.toLocaleString('vi-VN');
  await raiseAlert(
    app,
    AlertKeys.dailyQuota,
    'warning',
    `Zalo giảm hạn mức gửi tin ZBS trong ngày của OA từ ${n(before)} xuống ${n(after)} tin.`,
    { db: tx },
  );
  return `daily quota ${before} → ${after} (lowered)`;
}
