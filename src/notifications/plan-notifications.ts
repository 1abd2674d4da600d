import type { AppContext } from '../app-context.ts';
import type { StatusCode } from '../contracts/statuses.ts';
import { enqueueJob } from '../jobs/enqueue.ts';
import { raiseAlert } from './alerts.ts';
import { findBinding } from './bindings.ts';
import { templateData } from './template-values.ts';

export const SEND_TASK = 'notification.send';

export interface StatusChangedEvent {
  dossierId: number;
  journalId: number;
  fromStatus: number | null;
  toStatus: number;
  action?: string;
}

/** Mobile numbers only: ZBS by phone needs a Zalo account, which fixed lines cannot have. */
const MOBILE = /^84[35789]\d{8}$/;

/**
 * Turns a status change into the citizen's messages, in one transaction: a notification row per channel
 * (unique per status change, so a replayed job creates nothing), older unsent messages of the dossier
 * superseded, and a send job in the dossier's own queue so its messages go out in order.
 */
export async function planNotifications(app: AppContext, event: StatusChangedEvent): Promise<number[]> {
  return app.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('dossier_journal as j')
      .innerJoin('dossier as d', 'd.id', 'j.dossier_id')
      .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
      .innerJoin('agency as a', 'a.id', 'd.agency_id')
      .select([
        'j.id as journal_id',
        'j.seq',
        'j.action',
        'j.to_status',
        'j.data',
        'd.id as dossier_id',
        'd.code',
        'd.applicant_name',
        'd.phone',
        'd.notify_by_zalo',
        'd.due_date',
        'p.name as procedure_name',
        'a.name as agency_name',
      ])
      .where('j.id', '=', event.journalId)
      .executeTakeFirst();
    if (!row?.notify_by_zalo || !MOBILE.test(row.phone)) {
      return [];
    }
    const binding = await findBinding(tx, row.action, row.to_status);
    if (!binding) {
      await raiseAlert(
        tx,
        'zalo.template.missing',
        'error',
        `Chưa cấu hình mẫu tin Zalo cho trạng thái ${row.to_status}: tin nhắn đang chờ.`,
      );
    }
    const facts = {
      applicantName: row.applicant_name,
      dossierCode: row.code,
      procedureName: row.procedure_name,
      agencyName: row.agency_name,
      status: row.to_status as StatusCode,
      action: row.action,
      dueDate: row.due_date,
      data: row.data as unknown as Record<string, unknown>,
    };
    const payload = binding ? templateData(binding.params, facts) : {};
    const inserted = await tx
      .insertInto('notification')
      .values({
        dossier_id: row.dossier_id,
        journal_id: row.journal_id,
        journal_seq: row.seq,
        channel: 'zalo_phone',
        recipient: row.phone,
        template_key: binding?.key ?? 'status',
        template_id: binding?.templateId ?? null,
        payload: JSON.stringify(payload),
        rendered: Object.values(payload).join(' · '),
        state: binding ? 'queued' : 'waiting',
        error_vi: binding ? null : 'Chưa cấu hình mẫu tin Zalo cho trạng thái này',
      })
      .onConflict((oc) => oc.columns(['journal_id', 'channel', 'recipient']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      return [];
    }
    await tx
      .updateTable('notification')
      .set({ state: 'superseded', updated_at: app.clock() })
      .where('dossier_id', '=', row.dossier_id)
      .where('channel', '=', 'zalo_phone')
      .where('journal_seq', '<', row.seq)
      .where('state', 'in', ['queued', 'waiting'])
      .execute();
    if (binding) {
      await enqueueSend(tx, inserted.id, row.dossier_id);
    }
    return [inserted.id];
  });
}

/** The send job: one queue per dossier keeps its messages in order; the key makes a re-enqueue harmless. */
export function enqueueSend(
  db: Parameters<typeof enqueueJob>[0],
  notificationId: number,
  dossierId: number,
  runAt?: Date,
) {
  return enqueueJob(
    db,
    SEND_TASK,
    { notificationId },
    { jobKey: `notification:${notificationId}`, queueName: `dossier:${dossierId}`, runAt, maxAttempts: 10 },
  );
}
