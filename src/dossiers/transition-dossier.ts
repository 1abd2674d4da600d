import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { type Actor, actingRole, actorColumns } from '../auth/actor.ts';
import { vnDateOf } from '../calendar/dates.ts';
import { loadCalendar } from '../calendar/repo.ts';
import { isStatusCode, type StatusCode } from '../contracts/statuses.ts';
import { cleanMultiline } from '../contracts/text.ts';
import { Conflict, Forbidden, InvalidInput, invalid, NotFound } from '../errors.ts';
import { wakeStatusChangePlanners } from '../jobs/status-change-lane.ts';
import { applyTransition, type ClockState } from './effects.ts';
import { blockedBecause, FIELD_LABELS, findRule } from './lifecycle.ts';
import { type DossierRecord, dossierWithProcedure } from './repo.ts';

export interface TransitionRequest {
  /** The national status number to move to. */
  to: number;
  /** Disambiguates when needed; the rule is otherwise found from the current and target status. */
  action?: string;
  note?: string;
  [field: string]: unknown;
}

export const NOTE_MAX = 2000;

/**
 * Moves a dossier through its lifecycle. One transaction: the dossier row (locked), an append-only journal
 * entry and the status change in the planners' outbox (src/jobs/status-change-lane.ts). An illegal move is a 409 that changes nothing.
 */
export async function transitionDossier(
  app: AppContext,
  actor: Actor,
  code: string,
  request: TransitionRequest,
): Promise<DossierRecord> {
  const note = cleanMultiline(typeof request.note === 'string' ? request.note : '');
  if (note.length > NOTE_MAX) {
    throw invalid(
      'note',
      `note is longer than ${NOTE_MAX} characters`,
      `Ghi chú không được dài quá ${NOTE_MAX} ký tự.`,
    );
  }
  const now = app.clock();
  const calendar = await loadCalendar(app.db);
  const moved = await app.db.transaction().execute(async (tx): Promise<DossierRecord> => {
    // The whole record, locked: the answer is this row with the transition's changes, no second read.
    const d = await dossierWithProcedure(tx)
      .where('d.code', '=', code)
      .where('d.agency_id', '=', actor.agencyId)
      .forUpdate('d')
      .executeTakeFirst();
    if (!d) {
      throw NotFound('dossier', code, 'Không tìm thấy hồ sơ.');
    }
    const from = d.status as StatusCode;
    const rule = findRule(from, request.to, request.action);
    if (!rule || !isStatusCode(request.to)) {
      throw Conflict(
        'invalid_transition',
        `No transition from status ${from} to ${request.to}${request.action ? ` by ${request.action}` : ''}`,
        'Không thể chuyển hồ sơ sang trạng thái này.',
        { from, to: request.to },
      );
    }
    if (!rule.roles.includes(actingRole(actor))) {
      throw Forbidden(
        `Role ${actingRole(actor)} may not ${rule.action}`,
        `Vai trò của bạn không được "${rule.label}".`,
      );
    }
    const refusal = blockedBecause(rule, {
      status: from,
      apologyCount: d.apology_count,
      dueDate: d.due_date,
      today: vnDateOf(now),
    });
    if (refusal) {
      throw Conflict(refusal.code, refusal.message, refusal.userMessage, {
        from,
        to: rule.to,
        action: rule.action,
      });
    }
    const parsed = rule.fields.safeParse(request);
    if (!parsed.success) {
      throw new InvalidInput(
        parsed.error.issues.map((i) => {
          const field = String(i.path[0] ?? 'body');
          return {
            field: i.path.join('.'),
            message: `${i.path.join('.')}: ${i.message}`,
            userMessage: `${FIELD_LABELS[field] ?? field}: thiếu hoặc không hợp lệ.`,
          };
        }),
      );
    }
    const fields = parsed.data as Record<string, unknown>;
    const state: ClockState = {
      status: from,
      dueDate: d.due_date,
      originalDueDate: d.original_due_date,
      clockStartedAt: new Date(d.clock_started_at),
      clockPausedAt: d.clock_paused_at ? new Date(d.clock_paused_at) : null,
      supplementCount: d.supplement_count,
      apologyCount: d.apology_count,
      finishedAt: d.finished_at ? new Date(d.finished_at) : null,
      returnedAt: d.returned_at ? new Date(d.returned_at) : null,
      statusData: d.status_data as unknown as Record<string, unknown>,
    };
    const { next, journalData } = applyTransition(state, rule.action, rule.to, fields, {
      now,
      calendar,
      procedure: {
        processingDays: d.procedure_days,
        cutoffTime: d.procedure_cutoff,
        supplementRule: d.procedure_supplement_rule,
      },
    });
    const seq = d.version + 1;
    const changes = {
      status: next.status,
      due_date: next.dueDate,
      original_due_date: next.originalDueDate,
      clock_started_at: next.clockStartedAt,
      clock_paused_at: next.clockPausedAt,
      supplement_count: next.supplementCount,
      apology_count: next.apologyCount,
      finished_at: next.finishedAt,
      returned_at: next.returnedAt,
      version: seq,
      updated_at: now,
    };
    // The row, its journal entry and the status-change job in one statement: one round trip, not three.
    await tx
      .with('changed', (qb) =>
        qb
          .updateTable('dossier')
          .set({ ...changes, status_data: JSON.stringify(next.statusData) })
          .where('id', '=', d.id)
          .returning('id'),
      )
      .with('entry', (qb) =>
        qb
          .insertInto('dossier_journal')
          .values({
            dossier_id: d.id,
            seq,
            at: now,
            action: rule.action,
            from_status: from,
            to_status: rule.to,
            ...actorColumns(actor),
            note,
            data: JSON.stringify(journalData),
          })
          .returning('id'),
      )
      .with('queued', (qb) =>
        qb
          .insertInto('status_change')
          .columns(['journal_id', 'dossier_id', 'from_status', 'to_status', 'action'])
          .expression(
            qb
              .selectFrom('entry')
              .select([
                'entry.id',
                sql<number>`${d.id}::int`.as('dossier_id'),
                sql<number>`${from}::smallint`.as('from_status'),
                sql<number>`${rule.to}::smallint`.as('to_status'),
                sql<string>`${rule.action}::text`.as('action'),
              ]),
          )
          .returning('journal_id'),
      )
      .selectFrom('queued')
      .select('queued.journal_id')
      .executeTakeFirstOrThrow();
    return { ...d, ...changes, status_data: next.statusData };
  });
  wakeStatusChangePlanners(app);
  return moved;
}
