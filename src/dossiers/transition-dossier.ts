import { type Actor, actingRole, actorColumns } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import type { WorkingCalendar } from '../calendar/index.ts';
import { loadCalendar, vnDateOf } from '../calendar/index.ts';
import { isStatusCode, type StatusCode } from '../contracts/statuses.ts';
import {
  TRANSITION_FIELD_LABELS,
  TRANSITION_LIMITS,
  ZTransitionFields,
  ZTransitionNote,
} from '../contracts/transitions.ts';
import { Conflict, Forbidden, InvalidInput, invalid, NotFound } from '../errors.ts';
import { wakeStatusChangePlanners } from '../jobs/index.ts';
import { currentCorrelationId } from '../operations/index.ts';
import { refuseOfficerInConnectedAgency } from '../organisation/index.ts';
import { applyTransition, type ClockState } from './effects.ts';
import { blockedBecause, findRule } from './lifecycle.ts';
import { type DossierRecord, findDossierByCode, writeTransitionStatement } from './repo.ts';

export interface TransitionRequest {
  /** The national status number to move to. */
  to: number;
  /** Disambiguates when needed; the rule is otherwise found from the current and target status. */
  action?: string;
  note?: string;
  [field: string]: unknown;
}

/**
 * Moves a dossier through its lifecycle: the dossier row, an append-only journal entry and the status change
 * in the planners' outbox (src/notifications/status-change-lane.ts), written together by one statement. Of concurrent
 * moves of one dossier exactly one wins; the others decide again on what it left. An illegal move is a 409
 * that changes nothing.
 */
export async function transitionDossier(
  app: AppContext,
  actor: Actor,
  code: string,
  request: TransitionRequest,
): Promise<DossierRecord> {
  // The note is checked before anything is read: a note too long is refused whatever the move.
  const checkedNote = ZTransitionNote.safeParse(typeof request.note === 'string' ? request.note : '');
  if (!checkedNote.success) {
    throw invalid(
      'note',
      `note is longer than ${NOTE_LIMIT} characters`,
      `Ghi chú không được dài quá ${NOTE_LIMIT} ký tự.`,
    );
  }
  const note = checkedNote.data;
  await refuseOfficerInConnectedAgency(app.db, actor);
  const now = app.clock();
  const calendar = await loadCalendar(app);
  const correlationId = currentCorrelationId();
  for (let attempt = 1; ; attempt++) {
    const moved = await tryTransition(app, actor, code, request, { now, calendar, note, correlationId });
    if (moved) {
      wakeStatusChangePlanners(app);
      app.logger.info({ correlationId, dossierId: moved.id, status: moved.status }, 'dossier status changed');
      return moved;
    }
    // Another move of this dossier committed between our read and our write: decide again on the new state
    // (the same move is then usually refused as no longer possible).
    if (attempt >= MAX_ATTEMPTS) {
      throw Conflict(
        'concurrent_transition',
        'The dossier kept changing while it was being moved; try again',
        'Hồ sơ đang được người khác cập nhật. Vui lòng thử lại.',
      );
    }
  }
}

const MAX_ATTEMPTS = 10;
const NOTE_LIMIT = TRANSITION_LIMITS.note;

/**
 * One optimistic attempt: read the record, decide, and write the row, its journal entry and its outbox row in
 * ONE statement (one implicit transaction) that changes the row only if its version is still the one read.
 * Undefined when another move won in between. No transaction spans round trips, so a connection is held for
 * two statements instead of four, and the row is locked only while the write runs.
 */
async function tryTransition(
  app: AppContext,
  actor: Actor,
  code: string,
  request: TransitionRequest,
  o: { now: Date; calendar: WorkingCalendar; note: string; correlationId: string },
): Promise<DossierRecord | undefined> {
  const { now, calendar, note } = o;
  // The whole record: the answer is this row with the transition's changes, no second read.
  const d = await findDossierByCode(app.db, actor.agencyId, code);
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
    receivedOn: vnDateOf(new Date(d.received_at)),
  });
  if (refusal) {
    throw Conflict(refusal.code, refusal.message, refusal.userMessage, {
      from,
      to: rule.to,
      action: rule.action,
    });
  }
  const parsed = ZTransitionFields.safeParse({ ...request, action: rule.action, note });
  if (!parsed.success) {
    throw new InvalidInput(
      parsed.error.issues.map((i) => {
        const field = String(i.path[0] ?? 'body');
        return {
          field: i.path.join('.'),
          message: `${i.path.join('.')}: ${i.message}`,
          userMessage: `${TRANSITION_FIELD_LABELS[field] ?? field}: thiếu hoặc không hợp lệ.`,
        };
      }),
    );
  }
  // The action's own fields: the action and the note are recorded in columns of their own.
  const { action: _action, note: _note, ...fields } = parsed.data;
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
    deadline:
      d.deadline_start && d.deadline_unit && d.deadline_days !== null
        ? { start: d.deadline_start, unit: d.deadline_unit, days: d.deadline_days }
        : null,
  };
  const { next, journalData } = applyTransition(state, rule.action, rule.to, fields, {
    now,
    calendar,
    procedure: {
      processingDays: d.procedure_days,
      unit: d.procedure_deadline_unit,
      cutoffTime: d.procedure_cutoff,
      supplementRule: d.procedure_supplement_rule,
    },
    reception: { online: d.channel === 'online', officeClosesAt: app.config.desk.closesAt },
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
    deadline_start: next.deadline?.start ?? null,
    deadline_unit: next.deadline?.unit ?? null,
    deadline_days: next.deadline?.days ?? null,
    version: seq,
    updated_at: now,
  };
  const written = await writeTransitionStatement(app.db, {
    dossierId: d.id,
    version: d.version,
    changes: { ...changes, status_data: JSON.stringify(next.statusData) },
    seq,
    at: now,
    action: rule.action,
    from,
    to: rule.to,
    actor: actorColumns(actor),
    note,
    journalData,
    correlationId: o.correlationId,
  }).executeTakeFirst();
  return written ? { ...d, ...changes, status_data: next.statusData } : undefined;
}
