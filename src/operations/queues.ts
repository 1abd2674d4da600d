import { sql } from 'kysely';
import type { Queryable } from '../db/pool.ts';

/**
 * The product's queues ("lanes"): what waits in each and how long its oldest item has waited. Read by the
 * health checks (alert `queue.stale:<lane>`), the metrics and page "Tình trạng hệ thống".
 *
 * "Oldest" is counted from when the item was created for the planning outbox, the Zalo messages and the
 * webhook events (a Zalo outage that keeps messages retrying shows as an old queue), and from when it became
 * due for SMS / e-mail and jobs (src/jobs/job-queue.ts) (an SMS held through the quiet hours did not wait on us).
 */
export const LANES = {
  planning: 'Lập thông báo',
  zalo: 'Gửi Zalo',
  zalo_waiting: 'Zalo tạm hoãn',
  sms: 'Gửi SMS',
  email: 'Gửi email',
  events: 'Sự kiện Zalo (tin nhắn của người dân)',
  receipts: 'Báo nhận Zalo',
  jobs: 'Tác vụ nền',
} as const;

export type Lane = keyof typeof LANES;

/** Lanes whose age raises `queue.stale:<lane>`; held-back Zalo messages have their causes' own alerts. */
export const STALE_LANES: Lane[] = ['planning', 'zalo', 'sms', 'email', 'events', 'receipts', 'jobs'];

export interface LaneStats {
  lane: Lane;
  label: string;
  depth: number;
  /** Seconds the oldest item has waited; null when the lane is empty. */
  oldestSeconds: number | null;
}

export async function queueStats(db: Queryable): Promise<LaneStats[]> {
  const rows = await sql<{ lane: Lane; depth: number; oldest: number | null }>`
    select 'planning' as lane, count(*)::int as depth, extract(epoch from now() - min(created_at))::float8 as oldest
      from status_change where failed_at is null
    union all
    select case when state = 'waiting' then 'zalo_waiting' else 'zalo' end, count(*)::int,
           extract(epoch from now() - min(created_at))::float8
      from notification where state in ('queued', 'waiting') and channel in ('zalo_phone', 'zalo_uid')
      group by state = 'waiting'
    union all
    select channel, count(*)::int, extract(epoch from now() - min(coalesce(next_attempt_at, created_at))
             filter (where coalesce(next_attempt_at, created_at) <= now()))::float8
      from notification where state in ('queued', 'waiting') and channel in ('sms', 'email')
      group by channel
    union all
    select case when event_name = 'user_received_message' then 'receipts' else 'events' end, count(*)::int,
           extract(epoch from now() - min(received_at))::float8
      from zalo_event where processed_at is null
      group by event_name = 'user_received_message'
    union all
    select 'jobs', count(*)::int, extract(epoch from now() - min(run_at))::float8
      from job where failed_at is null and run_at <= now()`.execute(db);
  const found = new Map(rows.rows.map((r) => [r.lane, r]));
  return (Object.keys(LANES) as Lane[]).map((lane) => {
    const r = found.get(lane);
    return {
      lane,
      label: LANES[lane],
      depth: r?.depth ?? 0,
      oldestSeconds: r?.oldest === null || r?.oldest === undefined ? null : Math.max(0, Math.round(r.oldest)),
    };
  });
}
