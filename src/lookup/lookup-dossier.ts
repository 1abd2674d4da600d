import { type CompiledQuery, type InferResult, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { AppContext } from '../app-context.ts';
import type { WorkingCalendar } from '../calendar/index.ts';
import { type DeadlineProgress, deadlineProgress, loadCalendar, vnDateOf } from '../calendar/index.ts';
import { historyLabel, STATUSES, type StatusCode } from '../contracts/statuses.ts';
import type { Queryable } from '../db/pool.ts';
import { addHits, removeHits } from '../rate-limit/index.ts';
import { type LookupAccess, maskName, matchesSecondFactor } from './privacy.ts';
import { verifyLookupSignature } from './signed-link.ts';

/**
 * Dossiers as the look-up needs them, read in a single round trip whatever the number of codes: concurrent
 * public look-ups are answered together (`LookupBatcher`). Unknown codes are simply absent from the result.
 * With `notificationsFor` (the HTTP look-up's batches) the messages sent are read only for those codes (the
 * look-ups a signed receipt link verifies), `null` for the others: only a verified look-up shows them, and their
 * sub-select was about a fifth of the statement's cost in PostgreSQL, paid for every anonymous look-up.
 */
export async function findDossiersForLookup(
  db: Queryable,
  codes: readonly string[],
  { notificationsFor }: { notificationsFor?: readonly string[] } = {},
): Promise<LookupRecord[]> {
  // Built once: assembling and compiling it cost Kysely ~0.2 ms of CPU, more than PostgreSQL needs to run it.
  compiledLookup ??= lookupQuery(db, CODES, NOTIFIED).compile();
  const parameters = compiledLookup.parameters.map((p) =>
    p === CODES ? codes : p === NOTIFIED ? (notificationsFor ?? null) : p,
  );
  return (await db.executeQuery<LookupRecord>({ ...compiledLookup, parameters })).rows;
}

/** Stand for the codes in the compiled statement; found again by identity. */
const CODES: readonly string[] = [];
const NOTIFIED: readonly string[] = [];
let compiledLookup: CompiledQuery<LookupRecord> | undefined;

function dossierQuery(db: Queryable, codes: readonly string[]) {
  return db
    .selectFrom('dossier as d')
    .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
    .innerJoin('agency as a', 'a.id', 'd.agency_id')
    .select([
      'd.id',
      'd.code',
      'd.status',
      'd.applicant_name',
      'd.applicant_id_number',
      'd.phone',
      'd.notify_by_zalo',
      'd.received_at',
      'd.due_date',
      'd.clock_paused_at',
      'd.finished_at',
      'd.returned_at',
      'd.updated_at',
      'd.status_data',
      'p.name as procedure_name',
      'a.name as agency_name',
      'a.address as agency_address',
      'a.hotline as agency_hotline',
    ])
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('dossier_journal as j')
          .select(['j.at', 'j.action', 'j.to_status'])
          .whereRef('j.dossier_id', '=', 'd.id')
          .orderBy('j.seq'),
      ).as('history'),
    )
    .where('d.code', '=', (eb) => eb.fn<string>('any', [eb.val(codes)]));
}

const NOTIFICATION_COLUMNS = [
  'n.channel',
  'n.state',
  'n.created_at',
  'n.sent_at',
  'n.delivered_at',
  'n.journal_seq',
] as const;
const HIDDEN_STATES = ['superseded', 'cancelled'] as const;

/**
 * The dossiers with their messages sent: for every code when `notified` is null, otherwise only for the codes
 * in it (a CASE: PostgreSQL runs the sub-select for those alone).
 */
function lookupQuery(db: Queryable, codes: readonly string[], notified: readonly string[] | null) {
  return dossierQuery(db, codes).select((eb) =>
    eb
      .case()
      .when(
        eb.or([
          sql<boolean>`${notified}::text[] is null`,
          eb('d.code', '=', eb.fn<string>('any', [eb.val(notified)])),
        ]),
      )
      .then(
        jsonArrayFrom(
          eb
            .selectFrom('notification as n')
            .select(NOTIFICATION_COLUMNS)
            .whereRef('n.dossier_id', '=', 'd.id')
            .where('n.state', 'not in', HIDDEN_STATES)
            .orderBy('n.id'),
        ),
      )
      .end()
      .as('notifications'),
  );
}

/** The messages sent about one dossier, as `lookupQuery` reads them (timestamps as text, like its JSON). */
async function findNotifications(db: Queryable, dossierId: number): Promise<Notifications> {
  const rows = await db
    .selectFrom('notification as n')
    .select(NOTIFICATION_COLUMNS)
    .where('n.dossier_id', '=', dossierId)
    .where('n.state', 'not in', HIDDEN_STATES)
    .orderBy('n.id')
    .execute();
  const text = (t: Date | null) => (t === null ? null : t.toISOString());
  return rows.map((n) => ({
    ...n,
    created_at: n.created_at.toISOString(),
    sent_at: text(n.sent_at),
    delivered_at: text(n.delivered_at),
  }));
}

/** `notifications` is null when they were not read (see `findDossiersForLookup`). */
export type LookupRecord = InferResult<ReturnType<typeof lookupQuery>>[number];
type Notifications = NonNullable<LookupRecord['notifications']>;

/** One dossier as the look-up needs it. */
export async function findDossierForLookup(db: Queryable, code: string): Promise<LookupRecord | undefined> {
  return (await findDossiersForLookup(db, [code]))[0];
}

export const CHANNEL_LABELS: Record<string, string> = {
  zalo_phone: 'Zalo (số điện thoại)',
  zalo_uid: 'Zalo (người theo dõi)',
  sms: 'Tin nhắn SMS',
  email: 'Thư điện tử',
};

const NOTIFICATION_STATE_LABELS: Record<string, string> = {
  queued: 'Đang gửi',
  waiting: 'Đang chờ gửi',
  sent: 'Đã gửi',
  delivered: 'Đã nhận',
  failed: 'Không gửi được',
};

/** The words a citizen reads for one journal entry: the same as the officer's (src/contracts/statuses.ts). */
export { historyLabel } from '../contracts/statuses.ts';

/** The answer of a look-up, by access level: `details` exists only for a verified look-up. */
export interface LookupView {
  access: LookupAccess;
  code: string;
  procedureName: string;
  agency: { name: string; address: string; hotline: string };
  status: StatusCode;
  statusLabel: string;
  meaning: string;
  nextStep: string;
  receivedAt: string;
  appointmentDate: string;
  /** The count of working days is stopped while the dossier waits for the citizen. */
  clockPaused: boolean;
  progress: DeadlineProgress | null;
  finished: boolean;
  lastUpdate: string;
  history: { at: string; label: string }[];
  /** Only for the applicant: what was asked of them and the messages sent to them. */
  details?: {
    applicantName: string;
    missingDocuments: string[];
    amountVnd: number | null;
    reason: string;
    notifications: { channel: string; channelLabel: string; state: string; stateLabel: string; at: string }[];
  };
}

export function presentLookup(
  r: LookupRecord,
  access: LookupAccess,
  calendar: WorkingCalendar,
  now: Date,
): LookupView {
  const status = r.status as StatusCode;
  const info = STATUSES[status];
  const open = r.finished_at === null;
  const data = (r.status_data ?? {}) as Record<string, unknown>;
  const iso = (t: Date | string) => new Date(t).toISOString();
  const view: LookupView = {
    access,
    code: r.code,
    procedureName: r.procedure_name,
    agency: { name: r.agency_name, address: r.agency_address, hotline: r.agency_hotline },
    status,
    statusLabel: info.label,
    meaning: info.citizenMeaning,
    nextStep: info.citizenNextStep,
    receivedAt: iso(r.received_at),
    appointmentDate: r.due_date,
    clockPaused: r.clock_paused_at !== null,
    progress:
      open && r.clock_paused_at === null ? deadlineProgress(calendar, vnDateOf(now), r.due_date) : null,
    finished: !open,
    lastUpdate: iso(r.updated_at),
    history: r.history.map((h) => ({ at: iso(h.at), label: historyLabel(h.action, h.to_status) })),
  };
  if (access === 'verified') {
    view.details = {
      applicantName: r.applicant_name,
      missingDocuments: Array.isArray(data.missingDocuments) ? data.missingDocuments.map(String) : [],
      amountVnd: typeof data.amountVnd === 'number' ? data.amountVnd : null,
      reason: typeof data.reason === 'string' ? data.reason : '',
      notifications: (r.notifications ?? []).map((n) => ({
        channel: n.channel,
        channelLabel: CHANNEL_LABELS[n.channel] ?? n.channel,
        state: n.state,
        stateLabel: NOTIFICATION_STATE_LABELS[n.state] ?? n.state,
        at: iso(n.delivered_at ?? n.sent_at ?? n.created_at),
      })),
    };
  }
  return view;
}

export interface LookupRequest {
  code: string;
  /** The HMAC of the receipt QR link. */
  signature?: string;
  /** Last 4 digits of the applicant's phone or ID number. */
  secondFactor?: string;
  /** The client's address: second factors are also limited per address. */
  ip?: string;
}

export type LookupResult =
  | { found: false }
  | { found: true; view: LookupView; record: LookupRecord; secondFactor: 'none' | 'ok' | 'wrong' | 'locked' };

/**
 * A public look-up: the dossier at the access level the request proves. Wrong second factors are counted per
 * dossier in the database (shared by every node), so 10 000 guesses cannot be spread over addresses.
 * `find` lets the HTTP routes read through their `LookupBatcher`.
 */
export async function lookUpDossier(
  app: AppContext,
  req: LookupRequest,
  find: (code: string, signed: boolean) => Promise<LookupRecord | undefined> = (code) =>
    findDossierForLookup(app.db, code),
): Promise<LookupResult> {
  // A signed receipt link is known to verify before the read, so its messages come in the same statement.
  const signed =
    req.signature !== undefined &&
    verifyLookupSignature(app.config.secrets.lookupLink, req.code, req.signature);
  const record = await find(req.code, signed);
  if (!record) {
    return { found: false };
  }
  let access: LookupAccess = 'public';
  let secondFactor: 'none' | 'ok' | 'wrong' | 'locked' = 'none';
  // The code read is the code asked (an exact match), so the signature checked above stands for the record.
  if (signed) {
    access = 'verified';
  } else if (req.secondFactor !== undefined && req.secondFactor !== '') {
    secondFactor = await checkSecondFactor(app, record, req.secondFactor, req.ip);
    if (secondFactor === 'ok') {
      access = 'verified';
    }
  }
  const complete =
    access === 'verified' && record.notifications === null
      ? { ...record, notifications: await findNotifications(app.db, record.id) }
      : record;
  const calendar = await loadCalendar(app);
  return {
    found: true,
    record: complete,
    secondFactor,
    view: presentLookup(complete, access, calendar, app.clock()),
  };
}

const SECOND_FACTOR_WINDOW_SECONDS = 3600;

/**
 * Counts the attempt first, per dossier and per address in one statement, and only then looks at the answer:
 * an attempt over either limit is not evaluated at all. A right answer takes its attempt back, so a citizen
 * who checks often is never locked out by their own right answers.
 */
async function checkSecondFactor(
  app: AppContext,
  record: LookupRecord,
  answer: string,
  ip: string | undefined,
): Promise<'ok' | 'wrong' | 'locked'> {
  const now = app.clock();
  const dossierKey = `lookup-2fa:${record.code}`;
  const keys = ip ? [dossierKey, `lookup-2fa-ip:${ip}`] : [dossierKey];
  const counts = await addHits(app.db, keys, SECOND_FACTOR_WINDOW_SECONDS, now);
  const limits = app.config.lookup;
  if (
    (counts.get(dossierKey) ?? 0) > limits.maxSecondFactorFailures ||
    (ip !== undefined && (counts.get(`lookup-2fa-ip:${ip}`) ?? 0) > limits.maxSecondFactorFailuresPerIp)
  ) {
    return 'locked';
  }
  if (!matchesSecondFactor(answer, record.phone, record.applicant_id_number)) {
    return 'wrong';
  }
  await removeHits(app.db, keys, SECOND_FACTOR_WINDOW_SECONDS, now);
  return 'ok';
}

/** Masked applicant name for the Zalo bot, which only knows the code. */
export function botApplicantName(r: LookupRecord): string {
  return maskName(r.applicant_name);
}
