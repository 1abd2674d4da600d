import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { type Actor, actorColumns, requireRole } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import {
  appointmentBasis,
  computeDeadline,
  type DeadlineRule,
  loadCalendar,
  vnDateOf,
} from '../calendar/index.ts';
import { dossierCodePrefix } from '../contracts/dossier-code.ts';
import { checkIntake } from '../contracts/intake.ts';
import type { ZIntakeRequest } from '../contracts/intake-schema.ts';
import { Status } from '../contracts/statuses.ts';
import { AppError, InvalidInput, invalid } from '../errors.ts';
import { wakeStatusChangePlanners } from '../jobs/index.ts';
import { currentCorrelationId } from '../operations/index.ts';
import { refuseOfficerInConnectedAgency } from '../organisation/index.ts';
import { insertReceivedDossier } from './insert-received.ts';
import { type DossierRecord, findDossierById } from './repo.ts';

export interface ReceiveResult {
  dossier: DossierRecord;
  /** True when an Idempotency-Key matched an earlier identical request. */
  replayed: boolean;
}

/**
 * Tiếp nhận hồ sơ: validates the intake, gives the dossier its code and due date, and in one transaction
 * writes the dossier, the first journal entry and the `dossier.status_changed` job.
 */
export async function receiveDossier(
  app: AppContext,
  actor: Actor,
  request: z.output<typeof ZIntakeRequest>,
  opts: { idempotencyKey?: string } = {},
): Promise<ReceiveResult> {
  requireRole(actor, ['desk_officer', 'admin', 'integration'], 'receive dossiers');
  await refuseOfficerInConnectedAgency(app.db, actor);
  const now = app.clock();
  const today = vnDateOf(now);
  const checked = checkIntake(request, today);
  if (!checked.ok) {
    throw new InvalidInput(checked.problems);
  }
  const intake = checked.value;
  const idempotency = opts.idempotencyKey
    ? { key: opts.idempotencyKey, hash: requestHash(request) }
    : undefined;
  if (idempotency) {
    const earlier = await replay(app, actor, idempotency);
    if (earlier) {
      return earlier;
    }
  }

  try {
    const procedure = await receivedProcedure(app, actor, intake.procedureCode);
    const calendar = await loadCalendar(app);
    const rule = deadlineRuleOf(procedure);
    const { start, dueDate } = computeDeadline(
      calendar,
      { receivedAt: now, online: intake.channel === 'online', officeClosesAt: app.config.desk.closesAt },
      rule,
    );
    const who = actorColumns(actor);
    const correlationId = currentCorrelationId();
    const id = await insertReceivedDossier(app.db, {
      agencyId: actor.agencyId,
      codePrefix: dossierCodePrefix(procedure.agency_code, today),
      day: today,
      dossier: {
        procedure_id: procedure.id,
        status: Status.Received,
        channel: intake.channel,
        applicant_name: intake.applicant.fullName,
        applicant_id_number: intake.applicant.idNumber,
        applicant_birth_date: intake.applicant.birthDate,
        applicant_address: intake.applicant.address,
        phone: intake.applicant.phone,
        email: intake.applicant.email,
        notify_by_zalo: intake.notifyByZalo,
        received_documents: JSON.stringify(intake.receivedDocuments ?? procedure.documents),
        copies: intake.copies,
        note: intake.note,
        received_at: now,
        received_by: who.actor_user_id,
        received_by_api_key: who.actor_api_key_id,
        due_date: dueDate,
        deadline_start: start,
        deadline_unit: rule.unit,
        deadline_days: rule.days,
        clock_started_at: now,
        idempotency_key: idempotency?.key ?? null,
        idempotency_hash: idempotency?.hash ?? null,
      },
      journal: {
        ...who,
        at: now,
        correlation_id: correlationId,
        note: intake.note,
        data: JSON.stringify({
          dueDate,
          notifyByZalo: intake.notifyByZalo,
          ...(intake.applicant.phoneConvertedFrom
            ? { phoneConvertedFrom: intake.applicant.phoneConvertedFrom }
            : {}),
        }),
      },
    });
    wakeStatusChangePlanners(app);
    app.logger.info({ correlationId, dossierId: id, status: Status.Received }, 'dossier received');
    const dossier = await findDossierById(app.db, actor.agencyId, id);
    return { dossier: dossier!, replayed: false };
  } catch (err) {
    // Two requests with the same Idempotency-Key raced: the loser returns the winner's dossier.
    if (idempotency && (err as { code?: string }).code === '23505') {
      const earlier = await replay(app, actor, idempotency);
      if (earlier) {
        return earlier;
      }
    }
    throw err;
  }
}

/** The procedure as this agency receives it, or a 400 naming procedureCode. */
async function receivedProcedure(app: AppContext, actor: Actor, code: string) {
  const procedure = await app.db
    .selectFrom('procedure as p')
    .innerJoin('procedure_agency as pa', 'pa.procedure_id', 'p.id')
    .innerJoin('agency as a', 'a.id', 'pa.agency_id')
    .select([
      'p.id',
      'p.processing_days',
      'p.deadline_unit',
      'p.cutoff_time',
      'p.cutoff_basis',
      'p.documents',
      'a.code as agency_code',
    ])
    .where('p.code', '=', code)
    .where('pa.agency_id', '=', actor.agencyId)
    .where('p.active', '=', true)
    .executeTakeFirst();
  if (!procedure) {
    throw invalid(
      'procedureCode',
      `Procedure ${code} is not received by this agency`,
      'Thủ tục hành chính không có trong danh mục tiếp nhận của cơ quan.',
    );
  }
  return procedure;
}

function deadlineRuleOf(p: {
  processing_days: number;
  deadline_unit: DeadlineRule['unit'];
  cutoff_time: string | null;
}): DeadlineRule {
  return { days: p.processing_days, unit: p.deadline_unit, cutoffTime: p.cutoff_time };
}

/** The appointment date an intake of this procedure made now would get (shown before saving). */
export async function previewAppointment(
  app: AppContext,
  actor: Actor,
  procedureCode: string,
  channel: 'direct' | 'post' | 'online' = 'direct',
) {
  const procedure = await receivedProcedure(app, actor, procedureCode);
  const now = app.clock();
  const calendar = await loadCalendar(app);
  const rule = deadlineRuleOf(procedure);
  const { start, dueDate } = computeDeadline(
    calendar,
    { receivedAt: now, online: channel === 'online', officeClosesAt: app.config.desk.closesAt },
    rule,
  );
  return {
    receivedAt: now.toISOString(),
    receptionDay: start,
    appointmentDate: dueDate,
    ...appointmentBasis(calendar, start, dueDate),
    processingDays: procedure.processing_days,
    deadlineUnit: rule.unit,
    cutoffTime: procedure.cutoff_time ? procedure.cutoff_time.slice(0, 5) : null,
    cutoffBasis: procedure.cutoff_basis,
  };
}

async function replay(app: AppContext, actor: Actor, idempotency: { key: string; hash: string }) {
  const earlier = await app.db
    .selectFrom('dossier')
    .select(['id', 'idempotency_hash'])
    .where('agency_id', '=', actor.agencyId)
    .where('idempotency_key', '=', idempotency.key)
    .executeTakeFirst();
  if (!earlier) {
    return undefined;
  }
  if (earlier.idempotency_hash !== idempotency.hash) {
    throw new AppError(
      'idempotency_key_reused',
      'This Idempotency-Key was used with a different request body',
      'Khóa chống gửi trùng đã được dùng cho một yêu cầu khác.',
    );
  }
  const dossier = await findDossierById(app.db, actor.agencyId, earlier.id);
  return { dossier: dossier!, replayed: true };
}

/** SHA-256 of the request with keys sorted, so key order does not matter. */
function requestHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(stableJson).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
