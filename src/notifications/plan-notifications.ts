import type { Insertable } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { loadCalendar } from '../calendar/index.ts';
import type { Queryable } from '../db/pool.ts';
import type { NotificationTable } from '../db/schema.ts';
import { statusChange } from '../dossiers/index.ts';
import { scheduleDeliveryCheck } from '../fallback/index.ts';
import { notifyDue, wakeNotificationSenders } from '../jobs/index.ts';
import { findDossierForLookup, maskName, presentLookup } from '../lookup/index.ts';
import { statusChangeText } from '../oa-bot/index.ts';
import { AlertKeys, raiseAlert, resolveAlert } from '../operations/index.ts';
import { candidateBindings, pickBinding } from './bindings.ts';
import {
  followersToTell,
  insertMessagesStatement,
  type MessageRow,
  type NewMessage,
  planningFacts,
  planningFactsOf,
} from './repo.ts';
import { type NotificationFacts, statusChangeFacts, templateData } from './template-values.ts';

export interface StatusChangedEvent {
  dossierId: number;
  journalId: number;
  fromStatus: number | null;
  toStatus: number;
  action?: string;
}

/** Mobile numbers only: ZBS by phone needs a Zalo account, which fixed lines cannot have. */
const MOBILE = /^84[35789]\d{8}$/;

/** Whether the applicant is told by Zalo on their phone: opted in, and a mobile number. */
function toldByPhone(row: { notify_by_zalo: boolean; phone: string }): boolean {
  return row.notify_by_zalo && MOBILE.test(row.phone);
}

/**
 * Turns a status change into the citizen's messages: a notification row per channel (unique per status
 * change, so a replayed job creates nothing), older unsent messages of the dossier superseded, and the
 * dispatchers woken (src/zalo/send-lane.ts). The common case — the applicant's phone, no dossier
 * followers — is one read and one write; followers' messages are planned with it in one transaction.
 */
export async function planNotifications(
  app: AppContext,
  event: StatusChangedEvent,
): Promise<{ created: number[]; byPhone: boolean }> {
  const row = await planningFacts(statusChange(app.db, event.journalId)).executeTakeFirst();
  const byPhone = row !== undefined && toldByPhone(row);
  if (!row || (!byPhone && !row.has_followers)) {
    return { created: [], byPhone: false };
  }
  const binding = pickBinding(row.bindings, row.action, row.to_status);
  const facts = statusChangeFacts(row, row);
  const plan = async (db: Queryable): Promise<number[]> => {
    const planned: number[] = [];
    if (row.has_followers) {
      const followers = await followersToTell(
        db,
        new Date(app.clock().getTime() - CS_WINDOW_MS),
        row.dossier_id,
        byPhone ? row.phone : null,
      );
      planned.push(...(await planForFollowers(app, db, row, facts, binding, followers)));
    }
    if (!byPhone) {
      return planned;
    }
    if (!binding) {
      await raiseAlert(
        app,
        AlertKeys.templateMissing,
        'error',
        `Chưa cấu hình mẫu tin Zalo cho trạng thái ${row.to_status}: tin nhắn đang chờ.`,
        { db },
      );
    }
    const id = await addNotification(app, db, row, {
      channel: 'zalo_phone',
      recipient: row.phone,
      ...phoneTemplate(binding, facts),
      state: binding ? 'queued' : 'waiting',
      wait_cause: binding ? null : 'template_missing',
      error_vi: binding ? null : 'Chưa cấu hình mẫu tin Zalo cho trạng thái này',
    });
    return id === undefined ? planned : [...planned, id];
  };
  // The phone message alone is a single statement; with followers' messages, all or nothing.
  const created =
    row.has_followers || !binding ? await app.db.transaction().execute(plan) : await plan(app.db);
  if (created.length > 0) {
    // Committed: this node's dispatcher sends them now (other nodes' dispatchers find them on their poll).
    wakeNotificationSenders(app);
  }
  return { created, byPhone };
}

/**
 * The common case of a batch of status changes — a message to the applicant's Zalo phone, a template bound, no
 * dossier followers — planned in two statements whatever the batch's size: one read, one insert. Returns the
 * journal ids it planned (a replayed one included: it inserts nothing); the others are left to
 * planNotifications. Of several changes of one dossier in the batch only the newest message is queued and
 * the older ones are written superseded, as planning them one after the other would leave them.
 */
export async function planPhoneMessages(app: AppContext, journalIds: number[]): Promise<Set<number>> {
  const rows = journalIds.length === 0 ? [] : await planningFactsOf(app.db, journalIds).execute();
  const messages = rows.flatMap((row) => {
    const binding = pickBinding(row.bindings, row.action, row.to_status);
    return binding && !row.has_followers && toldByPhone(row)
      ? [{ row, ...phoneTemplate(binding, statusChangeFacts(row, row)) }]
      : [];
  });
  if (messages.length === 0) {
    return new Set();
  }
  const newest = new Map<number, number>();
  for (const { row } of messages) {
    newest.set(row.dossier_id, Math.max(row.seq, newest.get(row.dossier_id) ?? 0));
  }
  const inserted = await insertMessages(
    app,
    app.db,
    messages.map(({ row, ...template }) => ({
      row,
      channel: 'zalo_phone',
      recipient: row.phone,
      ...template,
      state: newest.get(row.dossier_id) === row.seq ? 'queued' : 'superseded',
      error_vi: null,
    })),
  );
  if (inserted.length > 0) {
    wakeNotificationSenders(app);
  }
  return new Set(messages.map((m) => m.row.journal_id));
}

/**
 * One message of a status change, in one statement: inserted once (a replayed job creates nothing), the
 * recipient's older unsent messages of the dossier superseded; and when it waits for a template, its delivery
 * check for the SMS / email fallback.
 */
async function addNotification(
  app: AppContext,
  db: Queryable,
  row: MessageRow,
  n: Omit<Insertable<NotificationTable>, 'dossier_id' | 'journal_id' | 'journal_seq'>,
): Promise<number | undefined> {
  const [inserted] = await insertMessages(app, db, [{ row, ...n, error_vi: n.error_vi ?? null }]);
  if (inserted && n.state !== 'queued') {
    // Waiting for a template: the SMS / email stand in if it is not sorted out within the policy's minutes.
    await scheduleDeliveryCheck(db, [inserted.id], app.clock());
  }
  return inserted?.id;
}

/**
 * Messages of status changes in one statement, whatever their number: each inserted once (a replayed status
 * change creates nothing), and the recipient's older unsent messages of the dossier superseded by every new one
 * that is not itself written superseded. Returns the ids of the rows it inserted.
 */
async function insertMessages(
  app: AppContext,
  db: Queryable,
  messages: NewMessage[],
): Promise<{ id: number }[]> {
  const inserted = await insertMessagesStatement(messages, app.clock()).execute(db);
  if (inserted.rows.length > 0) {
    app.logger.info(
      {
        planned: inserted.rows.map((r) => ({
          notificationId: r.id,
          correlationId: r.correlation_id,
          channel: r.channel,
          state: r.state,
        })),
      },
      'messages planned',
    );
  }
  return inserted.rows;
}

/** The template of the applicant's phone message and its data; none while no template is bound. */
function phoneTemplate(binding: ReturnType<typeof pickBinding>, facts: NotificationFacts) {
  const payload = binding ? templateData(binding.params, facts) : {};
  return {
    template_key: binding?.key ?? 'status',
    template_id: binding?.templateId ?? null,
    payload: JSON.stringify(payload),
    rendered: Object.values(payload).join(' · '),
  };
}

/**
 * After an administrator binds a template, in the same transaction: the applicant's messages that waited for
 * one (planned while no template was bound to their status) get it, with their data filled as at planning,
 * and go out. Only the latest of a dossier is still waiting: planning supersedes the older ones. Returns how
 * many were queued.
 */
export async function queueMessagesAwaitingTemplate(app: AppContext, tx: Queryable): Promise<number> {
  const waiting = await tx
    .selectFrom('notification')
    .select(['id', 'journal_id'])
    .where('channel', '=', 'zalo_phone')
    .where('state', '=', 'waiting')
    .where('template_id', 'is', null)
    .execute();
  let queued = 0;
  for (const w of waiting) {
    const row = await statusChange(tx, w.journal_id)
      .select(candidateBindings.as('bindings'))
      .executeTakeFirst();
    const binding = row ? pickBinding(row.bindings, row.action, row.to_status) : undefined;
    if (!row || !binding) {
      continue;
    }
    await tx
      .updateTable('notification')
      .set({
        ...phoneTemplate(binding, statusChangeFacts(row, row)),
        state: 'queued',
        wait_cause: null,
        error_code: null,
        error_message: null,
        error_vi: null,
        next_attempt_at: null,
        updated_at: app.clock(),
      })
      .where('id', '=', w.id)
      .execute();
    queued++;
  }
  if (queued > 0) {
    await notifyDue(tx);
  }
  if (queued === waiting.length) {
    await resolveAlert(app, AlertKeys.templateMissing, tx);
  }
  return queued;
}

const CS_WINDOW_MS = 7 * 86_400_000;

/**
 * One notification per following Zalo user. Knowing a code is all it takes to follow, so these messages
 * carry only what a look-up by code may show: the applicant's name masked.
 */
async function planForFollowers(
  app: AppContext,
  tx: Queryable,
  row: MessageRow & { code: string },
  facts: NotificationFacts,
  binding: ReturnType<typeof pickBinding>,
  followers: { zalo_user_id: string; last_interaction_at: Date | string | null }[],
): Promise<number[]> {
  const record = await findDossierForLookup(tx, row.code);
  if (!record) {
    return [];
  }
  const masked = maskName(record.applicant_name);
  const view = presentLookup(record, 'public', await loadCalendar(app), app.clock());
  const text = statusChangeText(view, masked);
  const payload = binding ? templateData(binding.params, { ...facts, applicantName: masked }) : {};
  const ids: number[] = [];
  for (const f of followers) {
    const inWindow =
      f.last_interaction_at !== null &&
      app.clock().getTime() - new Date(f.last_interaction_at).getTime() < CS_WINDOW_MS;
    if (!inWindow && !binding) {
      continue;
    }
    const id = await addNotification(app, tx, row, {
      channel: 'zalo_uid',
      recipient: f.zalo_user_id,
      template_key: binding?.key ?? 'status',
      template_id: binding?.templateId ?? null,
      payload: JSON.stringify(payload),
      rendered: text,
      state: 'queued',
    });
    if (id !== undefined) {
      ids.push(id);
    }
  }
  return ids;
}
