import { type Actor, actorColumns, requireRole } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import type { WorkingCalendar } from '../calendar/index.ts';
import { computeDeadline, loadCalendar, vnDateOf } from '../calendar/index.ts';
import { parseDossierCode } from '../contracts/dossier-code.ts';
import { checkIntake } from '../contracts/intake.ts';
import { Status } from '../contracts/statuses.ts';
import type { Queryable } from '../db/pool.ts';
import { AppError, Conflict, InvalidInput, invalid } from '../errors.ts';
import { signedLookupUrl } from '../lookup/index.ts';
import { currentCorrelationId } from '../operations/index.ts';
import { deskModeOf } from '../organisation/index.ts';
import type { TExternalDossier } from './contracts.ts';
import { actionEntering } from './status-rules.ts';

/** The external system's code in canonical form, or a 400: any code the shared code parser reads as one. */
export function externalCode(raw: string): string {
  const code = parseDossierCode(raw);
  if (!code) {
    throw invalid(
      'code',
      `${raw.slice(0, 100)} is not a dossier code in the national format (<agency identifier>-YYMMDD-NNNN)`,
      'Mã hồ sơ không đúng định dạng quốc gia.',
    );
  }
  return code;
}

export async function requireConnectedAgency(db: Queryable, actor: Actor): Promise<void> {
  requireRole(actor, ['integration'], 'feed dossiers from an external system');
  if ((await deskModeOf(db, actor.agencyId)) !== 'connected') {
    throw new AppError(
      'agency_not_connected',
      'This agency runs its own desk here: an administrator must set it to "connected" before an external system feeds it',
      'Cơ quan chưa được đặt ở chế độ kết nối phần mềm một cửa của tỉnh.',
    );
  }
}

export interface PutOutcome {
  id: number;
  code: string;
  outcome: 'created' | 'updated' | 'unchanged';
  changed: string[];
  status: number;
  appointment: { given: string | null; computed: string; used: string; differenceDays: number | null };
  lookupUrl: string;
}

const DAY_MS = 86_400_000;

/**
 * PUT /api/v1/dossiers/{code}: creates the dossier with the external system's code, or brings an existing one
 * up to date; idempotent by code (the same body twice changes nothing the second time). Our appointment is
 * computed from the reception time and the procedure; theirs is used when given, and the difference reported.
 * A new dossier gets its first journal entry and status change (so the citizen is told as at our own desk);
 * an update gets a journal entry naming what changed, and no message.
 */
export async function putExternalDossier(
  app: AppContext,
  actor: Actor,
  rawCode: string,
  body: TExternalDossier,
  ctx: { calendar?: WorkingCalendar; connectedChecked?: boolean } = {},
): Promise<PutOutcome> {
  const code = externalCode(rawCode);
  if (!ctx.connectedChecked) {
    await requireConnectedAgency(app.db, actor);
  }
  const receivedAt = new Date(body.receivedAt);
  const checked = checkIntake(
    {
      procedureCode: body.procedureCode,
      // External systems do not always hold the CCCD: a placeholder passes the check and is stored empty.
      applicant: { ...body.applicant, idNumber: body.applicant.idNumber ?? '000000000000' },
      notifyByZalo: body.notifyByZalo,
      note: body.note,
      channel: body.channel,
    },
    vnDateOf(app.clock()),
  );
  if (!checked.ok) {
    throw new InvalidInput(checked.problems);
  }
  const intake = checked.value;
  const idNumber = body.applicant.idNumber === undefined ? '' : intake.applicant.idNumber;
  const procedure = await app.db
    .selectFrom('procedure as p')
    .innerJoin('procedure_agency as pa', 'pa.procedure_id', 'p.id')
    .select(['p.id', 'p.processing_days', 'p.deadline_unit', 'p.cutoff_time', 'p.documents'])
    .where('p.code', '=', intake.procedureCode)
    .where('pa.agency_id', '=', actor.agencyId)
    .executeTakeFirst();
  if (!procedure) {
    throw invalid(
      'procedureCode',
      `Procedure ${intake.procedureCode} is not received by this agency`,
      'Thủ tục hành chính không có trong danh mục tiếp nhận của cơ quan.',
    );
  }
  const calendar = ctx.calendar ?? (await loadCalendar(app));
  const rule = {
    days: procedure.processing_days,
    unit: procedure.deadline_unit,
    cutoffTime: procedure.cutoff_time,
  };
  const { start, dueDate: computed } = computeDeadline(
    calendar,
    { receivedAt, online: intake.channel === 'online', officeClosesAt: app.config.desk.closesAt },
    rule,
  );
  const given = body.appointmentDate ?? null;
  const used = given ?? computed;
  const appointment = {
    given,
    computed,
    used,
    differenceDays: given ? Math.round((Date.parse(given) - Date.parse(computed)) / DAY_MS) : null,
  };
  const lookupUrl = signedLookupUrl(app.config.http.publicBaseUrl, app.config.secrets.lookupLink, code);
  const fields = {
    procedure_id: procedure.id,
    channel: intake.channel,
    applicant_name: intake.applicant.fullName,
    applicant_id_number: idNumber,
    applicant_address: intake.applicant.address,
    phone: intake.applicant.phone,
    email: intake.applicant.email,
    notify_by_zalo: intake.notifyByZalo,
    received_at: receivedAt,
    due_date: used,
    computed_due_date: computed,
    deadline_start: start,
    deadline_unit: rule.unit,
    deadline_days: rule.days,
  };
  const who = actorColumns(actor);
  const correlationId = currentCorrelationId();

  for (let attempt = 1; ; attempt++) {
    try {
      return await app.db.transaction().execute(async (tx) => {
        const existing = await tx
          .selectFrom('dossier')
          .selectAll()
          .where('code', '=', code)
          .forUpdate()
          .executeTakeFirst();
        if (existing && existing.agency_id !== actor.agencyId) {
          throw Conflict(
            'code_taken',
            `Dossier code ${code} belongs to another agency`,
            'Mã hồ sơ đã thuộc về cơ quan khác.',
          );
        }
        if (!existing) {
          const status = body.status ?? Status.Received;
          const action = actionEntering(status);
          const inserted = await tx
            .insertInto('dossier')
            .values({
              code,
              agency_id: actor.agencyId,
              status,
              ...fields,
              received_documents: JSON.stringify(procedure.documents),
              copies: 1,
              note: intake.note,
              received_by: null,
              received_by_api_key: who.actor_api_key_id,
              clock_started_at: receivedAt,
              status_data: '{}',
              external_status_at: receivedAt,
              finished_at: [3, 8, 9, 10].includes(status) ? receivedAt : null,
              returned_at: status === 10 ? receivedAt : null,
              version: 1,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          const journal = await tx
            .insertInto('dossier_journal')
            .values({
              dossier_id: inserted.id,
              seq: 1,
              at: receivedAt,
              action,
              from_status: null,
              to_status: status,
              ...who,
              note: intake.note,
              data: JSON.stringify({ source: 'external', dueDate: used, computedDueDate: computed }),
              correlation_id: correlationId,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await tx
            .insertInto('status_change')
            .values({
              journal_id: journal.id,
              dossier_id: inserted.id,
              from_status: null,
              to_status: status,
              action,
            })
            .execute();
          return {
            id: inserted.id,
            code,
            outcome: 'created' as const,
            changed: [],
            status,
            appointment,
            lookupUrl,
          };
        }
        const changed = changedFields(existing, fields);
        if (changed.length === 0) {
          return {
            id: existing.id,
            code,
            outcome: 'unchanged' as const,
            changed,
            status: existing.status,
            appointment,
            lookupUrl,
          };
        }
        const seq = existing.version + 1;
        await tx
          .updateTable('dossier')
          .set({ ...fields, version: seq, updated_at: app.clock() })
          .where('id', '=', existing.id)
          .execute();
        await tx
          .insertInto('dossier_journal')
          .values({
            dossier_id: existing.id,
            seq,
            at: app.clock(),
            action: 'external_update',
            from_status: existing.status,
            to_status: existing.status,
            ...who,
            note: '',
            data: JSON.stringify({ source: 'external', changed, dueDate: used, computedDueDate: computed }),
            correlation_id: correlationId,
          })
          .execute();
        return {
          id: existing.id,
          code,
          outcome: 'updated' as const,
          changed,
          status: existing.status,
          appointment,
          lookupUrl,
        };
      });
    } catch (err) {
      // Two first PUTs of one code raced: the loser updates what the winner created.
      if ((err as { code?: string }).code === '23505' && attempt < 3) {
        continue;
      }
      throw err;
    }
  }
}

/** The API's names of the fields a PUT changed (dates compared as instants, not as objects). */
function changedFields(existing: Record<string, unknown>, fields: Record<string, unknown>): string[] {
  const names: Record<string, string> = {
    procedure_id: 'procedureCode',
    channel: 'channel',
    applicant_name: 'applicant.fullName',
    applicant_id_number: 'applicant.idNumber',
    applicant_address: 'applicant.address',
    phone: 'applicant.phone',
    email: 'applicant.email',
    notify_by_zalo: 'notifyByZalo',
    received_at: 'receivedAt',
    due_date: 'appointmentDate',
  };
  const same = (a: unknown, b: unknown) =>
    a instanceof Date || b instanceof Date
      ? new Date(a as Date).getTime() === new Date(b as Date).getTime()
      : (a ?? null) === (b ?? null);
  return Object.entries(names)
    .filter(([column]) => !same(existing[column], fields[column]))
    .map(([, name]) => name);
}
