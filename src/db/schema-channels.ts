import type { Generated } from 'kysely';
import type { TFallbackPolicy, TFallbackReason } from '../contracts/fallback.ts';
import type { CreatedAt, Json, Timestamp } from './column-types.ts';

/** Tables of the citizen channels: Zalo connection and events, notifications, fallbacks, look-up, sandboxes. */

export interface ZaloConnectionTable {
  oa_id: string;
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  access_expires_at: Timestamp | null;
  status: Generated<'connected' | 'broken' | 'disconnected'>;
  version: Generated<number>;
  last_refresh_at: Timestamp | null;
  last_success_at: Timestamp | null;
  last_error: string | null;
  last_error_at: Timestamp | null;
  quota_daily: number | null;
  quota_remaining: number | null;
  updated_at: Generated<Date>;
}

export interface ZaloOauthRequestTable {
  state: string;
  code_verifier: string;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface TemplateParamBinding {
  /** The ZBS parameter name. */
  name: string;
  /** Where its value comes from (see notifications/template-values.ts). */
  source: string;
  maxLength: number;
  /** Sent when the source has no value for this status change ("—" when unset). */
  placeholder?: string;
}

export interface ZaloTemplateBindingTable {
  key: string;
  template_id: string;
  params: Json<TemplateParamBinding[]>;
  updated_by: number | null;
  updated_at: Generated<Date>;
}

export type NotificationState =
  | 'queued'
  | 'waiting'
  | 'sent'
  | 'delivered'
  | 'failed'
  | 'superseded'
  | 'cancelled';
export type NotificationChannel = 'zalo_phone' | 'zalo_uid' | 'sms' | 'email';

export interface NotificationTable {
  id: Generated<number>;
  dossier_id: number;
  journal_id: number;
  journal_seq: number;
  channel: NotificationChannel;
  recipient: string;
  template_key: string;
  template_id: string | null;
  payload: Json<Record<string, string>>;
  rendered: Generated<string>;
  state: NotificationState;
  provider_msg_id: string | null;
  error_code: number | null;
  error_message: string | null;
  error_vi: string | null;
  unreachable: Generated<boolean>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  /** Lease of the worker node sending the message right now (src/zalo/send-lane.ts). */
  claimed_until: Timestamp | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
  delivered_at: Timestamp | null;
  failed_at: Timestamp | null;
  updated_at: Generated<Date>;
  /** A fallback message (SMS, email): the Zalo message it stands in for. */
  replaces_notification_id: number | null;
  fallback_reason: TFallbackReason | null;
  sms_encoding: 'gsm7' | 'ucs2' | null;
  sms_segments: number | null;
  /** The request id of the status change that caused it (logs carry it as correlationId). */
  correlation_id: string | null;
  /** Why a waiting message waits: `connection`, `template:<id>`, `account:<code>`, `template_missing`. */
  wait_cause: string | null;
}

export interface NotificationAttemptTable {
  id: Generated<number>;
  notification_id: number;
  at: CreatedAt;
  outcome: string;
  error_code: number | null;
  error_message: string | null;
  duration_ms: number;
}

export interface ZaloEventTable {
  id: Generated<number>;
  dedupe_key: string;
  event_name: string;
  server: string | null;
  raw: Json<Record<string, unknown>>;
  received_at: CreatedAt;
  processed_at: Timestamp | null;
  outcome: string | null;
  replied_at: Timestamp | null;
  /** Lease of the worker node processing the event now (src/zalo/event-lane.ts). */
  claimed_until: Timestamp | null;
  attempts: Generated<number>;
}

export interface ZaloFollowerTable {
  user_id: string;
  followed: boolean;
  source: string | null;
  followed_at: Timestamp | null;
  unfollowed_at: Timestamp | null;
  last_interaction_at: Timestamp | null;
  shared_phone: string | null;
  updated_at: Generated<Date>;
}

export interface DossierFollowerTable {
  dossier_id: number;
  zalo_user_id: string;
  created_at: CreatedAt;
  stopped_at: Timestamp | null;
}

export interface OaQrImageTable {
  id: Generated<boolean>;
  mime: 'image/jpeg' | 'image/png';
  data: Buffer;
  uploaded_by: number | null;
  uploaded_at: CreatedAt;
}

export interface AppAlertTable {
  key: string;
  level: 'warning' | 'error';
  message: string;
  first_at: Generated<Date>;
  last_at: Generated<Date>;
  count: Generated<number>;
  resolved_at: Timestamp | null;
  /** When the administrators were e-mailed about this occurrence (src/operations/alert-mail.ts). */
  mailed_at: Timestamp | null;
  reminded_at: Timestamp | null;
  /** When the "back to normal" e-mail went out, after it was resolved. */
  recovery_mailed_at: Timestamp | null;
  mail_error: string | null;
}

/** A resolved occurrence of an alert (the active ones are in app_alert). */
export interface AppAlertHistoryTable {
  id: Generated<number>;
  key: string;
  level: 'warning' | 'error';
  message: string;
  first_at: Timestamp;
  last_at: Timestamp;
  resolved_at: Timestamp;
  count: number;
  mailed: boolean;
}

/** The SMS and e-mail gateways' recent outcomes, kept by the fallback sender. */
export interface GatewayHealthTable {
  channel: 'sms' | 'email';
  last_success_at: Timestamp | null;
  last_failure_at: Timestamp | null;
  failures_in_row: Generated<number>;
  last_error: string | null;
  updated_at: Generated<Date>;
}

export interface SendRateBucketTable {
  name: string;
  tokens: number;
  capacity: number;
  refill_per_second: number;
  updated_at: Generated<Date>;
  granted: Generated<number>;
}

export interface WorkerNodeTable {
  pool_id: string;
  pid: number;
  hostname: string;
  started_at: CreatedAt;
  last_seen_at: Generated<Date>;
}

export interface FallbackPolicyTable {
  province_code: string;
  policy: Json<TFallbackPolicy>;
  updated_by: number | null;
  updated_at: Generated<Date>;
}

export interface SandboxSmsTable {
  id: Generated<number>;
  phone: string;
  brandname: string;
  body: string;
  encoding: 'gsm7' | 'ucs2';
  segments: number;
  reference: string;
  received_at: CreatedAt;
}

export interface SandboxMailTable {
  id: Generated<number>;
  message_id: string | null;
  mail_from: string;
  rcpt_to: string[];
  subject: string;
  text_body: string;
  html_body: string | null;
  size: number;
  received_at: CreatedAt;
}
