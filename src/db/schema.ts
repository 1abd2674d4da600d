import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { CreatedAt, Json, Timestamp } from './column-types.ts';
import type {
  AppAlertHistoryTable,
  AppAlertTable,
  DossierFollowerTable,
  FallbackPolicyTable,
  GatewayHealthTable,
  NotificationAttemptTable,
  NotificationTable,
  OaQrImageTable,
  SandboxMailTable,
  SandboxSmsTable,
  SendRateBucketTable,
  WorkerNodeTable,
  ZaloConnectionTable,
  ZaloEventTable,
  ZaloFollowerTable,
  ZaloOauthRequestTable,
  ZaloTemplateBindingTable,
} from './schema-channels.ts';
import type {
  CallbackDeliveryTable,
  CallbackSubscriptionTable,
  ExternalStatusEventTable,
  IntegrationEventTable,
} from './schema-connector.ts';
import type { JobTable, ScheduledTaskTable } from './schema-jobs.ts';
import type { RatingTables } from './schema-ratings.ts';

/**
 * Kysely types of our tables. Kept by hand next to the migrations; each migration updates them. The desk's
 * tables are here, the citizen channels' in schema-channels.ts.
 */
export type * from './schema-channels.ts';
export type * from './schema-connector.ts';
export type * from './schema-jobs.ts';

export interface DocumentSpec {
  name: string;
  /** bản chính / bản sao / bản chụp */
  form: string;
  quantity: number;
}

export interface ReceivedDocument {
  name: string;
  form: string;
  quantity: number;
}

export interface ProvinceTable {
  code: string;
  name: string;
  short_name: string;
}

export interface CommuneTable {
  code: string;
  province_code: string;
  name: string;
  kind: 'xa' | 'phuong' | 'dac_khu';
}

export interface AgencyTable {
  id: Generated<number>;
  code: string;
  name: string;
  parent_name: string;
  province_code: string;
  commune_code: string | null;
  address: string;
  hotline: string;
  email: string | null;
  created_at: CreatedAt;
  /** 'connected': the one-stop software the province runs is the source of truth (src/connector). */
  desk_mode: Generated<'own' | 'connected'>;
}

export interface ProcedureTable {
  id: Generated<number>;
  code: string;
  name: string;
  field: string;
  level: 'tinh' | 'xa';
  processing_days: number;
  fee_vnd: number;
  fee_note: string;
  documents: Json<DocumentSpec[]>;
  cutoff_time: string | null;
  /** Legal basis of the cut-off, shown with it. */
  cutoff_basis: Generated<string>;
  deadline_unit: Generated<'working_days' | 'calendar_days'>;
  /** The deciding authority (Cơ quan thực hiện), not the receiving desk. */
  authority: Generated<string>;
  supplement_rule: 'restart' | 'extend';
  active: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface ProcedureAgencyTable {
  procedure_id: number;
  agency_id: number;
}

export type Role = 'admin' | 'desk_officer' | 'specialist' | 'leader' | 'viewer';

export interface AppUserTable {
  id: Generated<number>;
  username: string;
  full_name: string;
  role: Role;
  agency_id: number;
  password_hash: string;
  password_is_default: Generated<boolean>;
  session_version: Generated<number>;
  disabled_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** One signed-in officer session (the cookie names it); deleting the row ends it. */
export interface AppSessionTable {
  id: string;
  user_id: number;
  created_at: CreatedAt;
  expires_at: Timestamp;
  ip: string | null;
}

export interface ApiKeyTable {
  id: Generated<number>;
  agency_id: number;
  name: string;
  prefix: string;
  key_hash: string;
  is_demo: Generated<boolean>;
  created_by: number | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface CalendarDayTable {
  day: string;
  kind: 'day_off' | 'working_day';
  reason: string;
  created_by: number | null;
  created_at: CreatedAt;
}

export type DossierChannel = 'direct' | 'post' | 'online';

export interface DossierTable {
  id: Generated<number>;
  code: string;
  agency_id: number;
  procedure_id: number;
  status: number;
  channel: DossierChannel;
  applicant_name: string;
  applicant_id_number: string;
  applicant_birth_date: string | null;
  applicant_address: string;
  phone: string;
  email: string | null;
  notify_by_zalo: boolean;
  received_documents: Json<ReceivedDocument[]>;
  copies: number;
  note: string;
  received_at: Timestamp;
  received_by: number | null;
  received_by_api_key: number | null;
  due_date: string;
  original_due_date: string | null;
  /** The day the count of the due date started and its length (extensions included); null on older rows. */
  deadline_start: string | null;
  deadline_unit: 'working_days' | 'calendar_days' | null;
  deadline_days: number | null;
  clock_started_at: Timestamp;
  clock_paused_at: Timestamp | null;
  supplement_count: Generated<number>;
  apology_count: Generated<number>;
  status_data: Json<Record<string, unknown>>;
  finished_at: Timestamp | null;
  returned_at: Timestamp | null;
  idempotency_key: string | null;
  idempotency_hash: string | null;
  version: Generated<number>;
  updated_at: Generated<Date>;
  /** Connected agencies: the `at` of the newest status the external system recorded (src/connector). */
  external_status_at: Timestamp | null;
  /** Connected agencies: the appointment we compute, when the external system gave its own. */
  computed_due_date: string | null;
}

export interface DossierJournalTable {
  id: Generated<number>;
  dossier_id: number;
  seq: number;
  at: CreatedAt;
  action: string;
  from_status: number | null;
  to_status: number;
  actor_user_id: number | null;
  actor_api_key_id: number | null;
  actor_name: string;
  note: string;
  data: Json<Record<string, unknown>>;
  /** The request id of the change (logs carry it as correlationId, and so do the messages it causes). */
  correlation_id: string | null;
}

export interface DossierCodeCounterTable {
  agency_id: number;
  day: string;
  last: number;
}

export interface AuditEventTable {
  id: Generated<number>;
  at: CreatedAt;
  actor_user_id: number | null;
  actor_api_key_id: number | null;
  actor_name: string;
  agency_id: number | null;
  action: string;
  target_type: string;
  target_id: string;
  data: Json<Record<string, unknown>>;
  ip: string | null;
}

export interface RateLimitHitTable {
  key: string;
  window_start: Timestamp;
  hits: number;
}

/** A status change whose messages are not planned yet (src/notifications/status-change-lane.ts). */
export interface StatusChangeTable {
  journal_id: number;
  dossier_id: number;
  from_status: number | null;
  to_status: number;
  action: string;
  created_at: CreatedAt;
  /** Lease of the worker node planning it now. */
  claimed_until: Timestamp | null;
  attempts: Generated<number>;
  last_error: string | null;
  /** Set when planning was given up after too many attempts (an alert says so). */
  failed_at: Timestamp | null;
}

export interface AppMetaTable {
  key: string;
  value: Json<unknown>;
  updated_at: Generated<Date>;
}

/** A year whose schedule was confirmed from the government's decision (its calendar_day rows are all of it). */
export interface CalendarYearTable {
  year: number;
  decision: string;
  confirmed_by: number | null;
  confirmed_at: CreatedAt;
}

// Issue 22's tables live in schema-ratings.ts.
export interface DB extends RatingTables {
  province: ProvinceTable;
  commune: CommuneTable;
  agency: AgencyTable;
  procedure: ProcedureTable;
  procedure_agency: ProcedureAgencyTable;
  app_user: AppUserTable;
  app_session: AppSessionTable;
  api_key: ApiKeyTable;
  calendar_day: CalendarDayTable;
  calendar_year: CalendarYearTable;
  dossier: DossierTable;
  dossier_journal: DossierJournalTable;
  dossier_code_counter: DossierCodeCounterTable;
  status_change: StatusChangeTable;
  audit_event: AuditEventTable;
  rate_limit_hit: RateLimitHitTable;
  app_meta: AppMetaTable;
  zalo_connection: ZaloConnectionTable;
  zalo_oauth_request: ZaloOauthRequestTable;
  zalo_template_binding: ZaloTemplateBindingTable;
  notification: NotificationTable;
  notification_attempt: NotificationAttemptTable;
  zalo_event: ZaloEventTable;
  zalo_follower: ZaloFollowerTable;
  dossier_follower: DossierFollowerTable;
  oa_qr_image: OaQrImageTable;
  app_alert: AppAlertTable;
  app_alert_history: AppAlertHistoryTable;
  gateway_health: GatewayHealthTable;
  send_rate_bucket: SendRateBucketTable;
  worker_node: WorkerNodeTable;
  job: JobTable;
  scheduled_task: ScheduledTaskTable;
  fallback_policy: FallbackPolicyTable;
  sandbox_sms: SandboxSmsTable;
  sandbox_mail: SandboxMailTable;
  external_status_event: ExternalStatusEventTable;
  callback_subscription: CallbackSubscriptionTable;
  integration_event: IntegrationEventTable;
  callback_delivery: CallbackDeliveryTable;
}

export type Agency = Selectable<AgencyTable>;
export type Procedure = Selectable<ProcedureTable>;
export type AppUser = Selectable<AppUserTable>;
export type Dossier = Selectable<DossierTable>;
export type NewDossier = Insertable<DossierTable>;
export type DossierUpdate = Updateable<DossierTable>;
export type JournalEntry = Selectable<DossierJournalTable>;
