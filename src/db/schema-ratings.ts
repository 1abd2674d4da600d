import type { CreatedAt, Timestamp } from './column-types.ts';

/** Tables of issue 22: ratings, their follow-up by leaders, and the public scoreboard's per-day figures. */

export interface RatingInvitationTable {
  dossier_id: number;
  journal_id: number;
  invited_at: CreatedAt;
}

export interface RatingTable {
  dossier_id: number;
  stars: number;
  reasons: string[];
  comment: string;
  channel: 'zalo' | 'web';
  first_rated_at: Timestamp;
  rated_at: Timestamp;
  revisions: number;
  zalo_msg_id: string | null;
}

export interface RatingFollowUpTable {
  dossier_id: number;
  raised_at: Timestamp;
  answer: string | null;
  answered_by: number | null;
  answered_at: Timestamp | null;
}

export interface PublicStatsDayTable {
  day: string;
  agency_id: number;
  received: number;
  zalo_reached: number;
  resolved: number;
  on_time: number;
  processing_working_days: number;
  ratings: number;
  stars_sum: number;
  stars_1: number;
  stars_2: number;
  stars_3: number;
  stars_4: number;
  stars_5: number;
}

export interface PublicStatsWatermarkTable {
  id: boolean;
  refreshed_until: Timestamp;
}

export interface RatingTables {
  rating_invitation: RatingInvitationTable;
  rating: RatingTable;
  rating_follow_up: RatingFollowUpTable;
  public_stats_day: PublicStatsDayTable;
  public_stats_watermark: PublicStatsWatermarkTable;
}
