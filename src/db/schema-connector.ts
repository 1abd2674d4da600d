import type { Generated } from 'kysely';
import type { CreatedAt, Json, Timestamp } from './column-types.ts';

/** Tables of the connection to an external one-stop system (src/connector, migration 20261207-21-01). */

export interface ExternalStatusEventTable {
  agency_id: number;
  event_id: string;
  dossier_id: number;
  status: number;
  at: Timestamp;
  journal_id: number;
  /** False when the event was older than the dossier's newest status: journaled only. */
  applied: boolean;
  received_at: CreatedAt;
}

export interface CallbackSubscriptionTable {
  id: Generated<number>;
  agency_id: number;
  api_key_id: number;
  url: string;
  events: string[];
  /** The signing secret, sealed with ENCRYPTION_KEY (src/zalo/secret-box.ts). */
  secret_enc: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface IntegrationEventTable {
  id: Generated<number>;
  /** xid8 of the writing transaction, as text. */
  tx: Generated<string>;
  agency_id: number;
  dossier_id: number | null;
  dossier_code: string | null;
  type: string;
  data: Json<Record<string, unknown>>;
  at: CreatedAt;
}

export interface CallbackDeliveryTable {
  id: Generated<number>;
  tx: Generated<string>;
  subscription_id: number;
  event_id: number;
  dossier_id: number | null;
  state: Generated<'pending' | 'delivered' | 'given_up'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  claimed_until: Timestamp | null;
  first_attempt_at: Timestamp | null;
  last_attempt_at: Timestamp | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
  created_at: CreatedAt;
}
