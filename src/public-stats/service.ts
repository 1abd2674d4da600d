import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { vnDateOf } from '../calendar/index.ts';
import type { PublicStatsDayTable } from '../db/schema-ratings.ts';

/**
 * The public figures (the scoreboard, the open data): per agency and for the province, per month or year,
 * summed from the per-day rows (refresh.ts). No figure of a group of fewer than MIN_GROUP dossiers is given:
 * counts, rates and averages of a smaller group are null ("—" on the page), so a single citizen's dossier or
 * rating cannot be told from the figures.
 */
export const MIN_GROUP = 5;

export interface PublicStatsQuery {
  /** Agency code; the province and every agency when absent. */
  agency?: string | undefined;
  /** First and last month, YYYY-MM. */
  from: string;
  to: string;
  period: 'month' | 'year';
}

export interface PublicFigures {
  period: string;
  agencyCode: string | null;
  agencyName: string;
  received: number | null;
  resolved: number | null;
  onTime: number | null;
  onTimeRate: number | null;
  avgProcessingWorkingDays: number | null;
  zaloReachedShare: number | null;
  ratings: number | null;
  satisfactionAverage: number | null;
  /** Ratings with 1, 2, 3, 4 and 5 stars. */
  stars: [number, number, number, number, number] | null;
}

/** The day table's counters summed over a period, for one agency or (null) the province. */
type Sums = Omit<PublicStatsDayTable, 'day' | 'agency_id'> & { period: string; agency_id: number | null };

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** One group's figures from its sums, each shown only when its group has MIN_GROUP dossiers or more. */
export function figuresOf(s: Sums, agency: { code: string | null; name: string }): PublicFigures {
  const enough = (n: number) => n >= MIN_GROUP;
  return {
    period: s.period,
    agencyCode: agency.code,
    agencyName: agency.name,
    received: enough(s.received) ? s.received : null,
    resolved: enough(s.resolved) ? s.resolved : null,
    onTime: enough(s.resolved) ? s.on_time : null,
    onTimeRate: enough(s.resolved) ? round(s.on_time / s.resolved, 4) : null,
    avgProcessingWorkingDays: enough(s.resolved) ? round(s.processing_working_days / s.resolved, 1) : null,
    zaloReachedShare: enough(s.received) ? round(s.zalo_reached / s.received, 4) : null,
    ratings: enough(s.ratings) ? s.ratings : null,
    satisfactionAverage: enough(s.ratings) ? round(s.stars_sum / s.ratings, 2) : null,
    stars: enough(s.ratings) ? [s.stars_1, s.stars_2, s.stars_3, s.stars_4, s.stars_5] : null,
  };
}

export function defaultRange(app: AppContext): { from: string; to: string } {
  const today = vnDateOf(app.clock());
  const year = Number(today.slice(0, 4));
  return { from: `${year}-01`, to: today.slice(0, 7) };
}

/** The figures of the query: the province's rows first (when no agency is asked for), then each agency's. */
export async function publicStats(app: AppContext, q: PublicStatsQuery): Promise<PublicFigures[]> {
  const first = `${q.from}-01`;
  const [ty, tm] = q.to.split('-').map(Number) as [number, number];
  const afterLast = tm === 12 ? `${ty + 1}-01-01` : `${ty}-${String(tm + 1).padStart(2, '0')}-01`;
  const periodSql =
    q.period === 'year' ? sql.raw(`to_char(s.day, 'YYYY')`) : sql.raw(`to_char(s.day, 'YYYY-MM')`);
  const agencies = await app.db.selectFrom('agency').select(['id', 'code', 'name']).orderBy('name').execute();
  const wanted = q.agency ? agencies.filter((a) => a.code === q.agency) : agencies;
  if (q.agency && wanted.length === 0) {
    return [];
  }
  const sums = (grouping: 'agency' | 'province') =>
    sql<Sums>`
    select ${periodSql} as period, ${grouping === 'agency' ? sql`s.agency_id` : sql`null::int`} as agency_id,
      sum(s.received)::int as received, sum(s.zalo_reached)::int as zalo_reached, sum(s.resolved)::int as resolved,
      sum(s.on_time)::int as on_time, sum(s.processing_working_days)::float8 as processing_working_days,
      sum(s.ratings)::int as ratings, sum(s.stars_sum)::int as stars_sum, sum(s.stars_1)::int as stars_1,
      sum(s.stars_2)::int as stars_2, sum(s.stars_3)::int as stars_3, sum(s.stars_4)::int as stars_4,
      sum(s.stars_5)::int as stars_5
    from public_stats_day s
    where s.day >= ${first}::date and s.day < ${afterLast}::date
      ${q.agency ? sql`and s.agency_id = ${wanted[0]!.id}` : sql``}
    group by 1, 2 order by 1`.execute(app.db);
  const [byAgency, province] = await Promise.all([
    sums('agency'),
    q.agency ? Promise.resolve({ rows: [] as Sums[] }) : sums('province'),
  ]);
  const byId = new Map(agencies.map((a) => [a.id, a]));
  const site = await app.db.selectFrom('province').select('name').limit(1).executeTakeFirst();
  return [
    ...province.rows.map((s) => figuresOf(s, { code: null, name: site?.name ?? 'Toàn tỉnh' })),
    ...byAgency.rows
      .sort(
        (a, b) =>
          a.period.localeCompare(b.period) ||
          (byId.get(a.agency_id!)?.name ?? '').localeCompare(byId.get(b.agency_id!)?.name ?? '', 'vi'),
      )
      .map((s) => {
        const a = byId.get(s.agency_id!)!;
        return figuresOf(s, { code: a.code, name: a.name });
      }),
  ];
}

/**
 * The same figures, kept in this process until the per-day rows are refreshed again: the watermark of the last
 * refresh is part of the key, so an answer is never older than the rows (one primary-key read per request).
 */
function figuresCache(): Map<string, PublicFigures[]> {
  return new Map();
}
const CACHE_MAX = 500;

export async function cachedPublicStats(app: AppContext, q: PublicStatsQuery): Promise<PublicFigures[]> {
  const mark = await app.db.selectFrom('public_stats_watermark').select('refreshed_until').executeTakeFirst();
  const key = JSON.stringify([
    q.agency ?? '',
    q.from,
    q.to,
    q.period,
    mark ? new Date(mark.refreshed_until).getTime() : 0,
  ]);
  const cache = app.caches.of(figuresCache);
  const hit = cache.get(key);
  if (hit) {
    return hit;
  }
  const rows = await publicStats(app, q);
  if (cache.size >= CACHE_MAX) {
    cache.clear();
  }
  cache.set(key, rows);
  return rows;
}

/** The open data's CSV columns, in order (docs/public-stats.md describes each). */
export const CSV_COLUMNS = [
  'period',
  'agency_code',
  'agency_name',
  'received',
  'resolved',
  'on_time',
  'on_time_rate',
  'avg_processing_working_days',
  'zalo_reached_share',
  'ratings',
  'satisfaction_average',
  'stars_1',
  'stars_2',
  'stars_3',
  'stars_4',
  'stars_5',
] as const;

function csvCell(v: string | number | null): string {
  if (v === null) {
    return '';
  }
  const s = String(v);
  // A leading =, +, - or @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 CSV with a UTF-8 BOM (Excel reads Vietnamese right); hidden figures are empty cells. */
export function toCsv(rows: PublicFigures[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const s = r.stars ?? [null, null, null, null, null];
    lines.push(
      [
        r.period,
        r.agencyCode ?? '',
        r.agencyName,
        r.received,
        r.resolved,
        r.onTime,
        r.onTimeRate,
        r.avgProcessingWorkingDays,
        r.zaloReachedShare,
        r.ratings,
        r.satisfactionAverage,
        ...s,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
