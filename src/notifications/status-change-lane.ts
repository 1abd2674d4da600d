import { type Selectable, sql } from 'kysely';
import type { Actor } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import type { StatusChangeTable } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import {
  claimBatch,
  defineOutboxLane,
  handledTogether,
  STATUS_CHANGES_CHANNEL,
  wakeStatusChangePlanners,
  workClaimed,
} from '../jobs/index.ts';
import { raiseAlert, resolveAlert } from '../operations/index.ts';
import { recordAudit } from '../record-audit.ts';
import { planPhoneMessages } from './plan-notifications.ts';
import { planStatusChange } from './plan-status-change.ts';

const PLAN_BATCH = 16;
/** Far longer than planning takes (a few statements): only a node that died leaves a claim to expire. */
const PLAN_LEASE_MS = 30_000;
const MAX_PLAN_ATTEMPTS = 25;

/**
 * Plans the messages of up to `limit` status changes from the outbox, in parallel. Each change is claimed
 * with a lease and removed once planned; planning is idempotent (one notification per status change and
 * channel), so a node that dies after planning and before the removal only costs a second, empty, planning.
 * A change that fails is tried again with a growing delay, and given up after MAX_PLAN_ATTEMPTS with an
 * alert. Returns how many were claimed.
 */
export async function planStatusChanges(app: AppContext, limit = PLAN_BATCH): Promise<number> {
  const claimed = await claimBatch<Selectable<StatusChangeTable>>(app, {
    table: 'status_change',
    key: 'journal_id',
    due: sql`failed_at is null`,
    leaseMs: PLAN_LEASE_MS,
    limit,
  });
  // Most changes are planned together in two statements; the rest (and all of them, if that fails) one by one.
  const journalIds = claimed.map((c) => c.journal_id);
  const together = await handledTogether(app, 'planning status changes', planPhoneMessages(app, journalIds));
  const rest = claimed.filter((c) => !together.has(c.journal_id));
  const planned = await workClaimed(app, rest, {
    what: 'planning a status change',
    idOf: (c) => c.journal_id,
    maxAttempts: MAX_PLAN_ATTEMPTS,
    work: (c) =>
      planStatusChange(app, {
        dossierId: c.dossier_id,
        journalId: c.journal_id,
        fromStatus: c.from_status,
        toStatus: c.to_status,
        action: c.action,
      }),
    failed: async (c, err, { retryAt, givenUp }) => {
      await app.db
        .updateTable('status_change')
        .set({
          claimed_until: retryAt,
          last_error: err.message.slice(0, 500),
          ...(givenUp ? { failed_at: app.clock() } : {}),
        })
        .where('journal_id', '=', c.journal_id)
        .execute();
      if (givenUp) {
        await raiseAlert(
          app,
          'status_change.failed',
          'error',
          `Không lập được thông báo cho một lần chuyển trạng thái hồ sơ (nhật ký #${c.journal_id}) sau ${c.attempts} lần thử: ${err.message.slice(0, 200)}`,
        );
      }
    },
  });
  const done = [...together, ...planned.map((c) => c.journal_id)];
  if (done.length > 0) {
    await sql`delete from status_change where journal_id = any(${done}::bigint[])`.execute(app.db);
  }
  return claimed.length;
}

/** Status changes whose planning was given up, oldest first, with their dossier's code. */
export function failedStatusChanges(app: AppContext) {
  return app.db
    .selectFrom('status_change as s')
    .innerJoin('dossier as d', 'd.id', 's.dossier_id')
    .select([
      's.journal_id',
      'd.code',
      's.action',
      's.to_status',
      's.attempts',
      's.last_error',
      's.failed_at',
    ])
    .where('s.failed_at', 'is not', null)
    .orderBy('s.journal_id')
    .execute();
}

/**
 * Gives given-up status changes (one, or all) a fresh set of attempts, once the cause is fixed; the planners
 * take them on their next poll. Audited; the alert is resolved when none is left given up. Returns how many;
 * a 404 when the one asked for is not given up.
 */
export async function retryFailedStatusChanges(
  app: AppContext,
  by: Actor | { kind: 'system'; name: string },
  journalId?: number,
): Promise<number> {
  const retried = await app.db.transaction().execute(async (tx) => {
    let query = tx
      .updateTable('status_change')
      .set({ failed_at: null, attempts: 0, claimed_until: null })
      .where('failed_at', 'is not', null);
    if (journalId !== undefined) {
      query = query.where('journal_id', '=', journalId);
    }
    const rows = await query.returning('journal_id').execute();
    if (journalId !== undefined && rows.length === 0) {
      throw new AppError(
        'status_change_not_found',
        `No given-up status change with journal entry ${journalId}`,
        'Không có lần chuyển trạng thái này trong danh sách chưa lập được thông báo.',
      );
    }
    if (rows.length > 0) {
      await recordAudit(
        tx,
        by,
        'status_change.retry',
        { type: 'status_change', id: journalId ?? 'all' },
        {
          journalIds: rows.map((r) => r.journal_id),
        },
      );
    }
    const left = await tx
      .selectFrom('status_change')
      .select('journal_id')
      .where('failed_at', 'is not', null)
      .limit(1)
      .execute();
    if (left.length === 0) {
      await resolveAlert(app, 'status_change.failed', tx);
    }
    return rows.length;
  });
  if (retried > 0) {
    wakeStatusChangePlanners(app);
  }
  return retried;
}

/** The worker node's planners: two lanes, woken in-process and by NOTIFY from the nodes that change dossiers. */
export const statusChangeLane = defineOutboxLane({
  what: 'the status change planner',
  name: STATUS_CHANGES_CHANNEL,
  channel: STATUS_CHANGES_CHANNEL,
  lanes: 2,
  work: async (app) => (await planStatusChanges(app)) >= PLAN_BATCH,
});
