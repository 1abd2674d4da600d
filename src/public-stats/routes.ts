import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { vnDateOf } from '../calendar/index.ts';
import { fileResponse } from '../contracts/files.ts';
import { invalid } from '../errors.ts';
import { siteInfo } from '../zalo-oa/index.ts';
import { SCOREBOARD_CSP, scoreboardPage } from './page.ts';
import { cachedPublicStats, defaultRange, MIN_GROUP, toCsv } from './service.ts';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** The longest range one request may ask for. */
const MAX_MONTHS = 120;

const ZStatsQuery = z.object({
  agency: z.string().max(40).optional().describe('Agency code; every agency and the province when absent'),
  from: z.string().regex(MONTH).optional().describe('First month, YYYY-MM (default: January of this year)'),
  to: z.string().regex(MONTH).optional().describe('Last month, YYYY-MM (default: this month)'),
  period: z.enum(['month', 'year']).default('month'),
});

const ZFigures = z.object({
  period: z.string().describe('YYYY-MM or YYYY'),
  agencyCode: z.string().nullable().describe('null for the whole province'),
  agencyName: z.string(),
  received: z.number().int().nullable(),
  resolved: z.number().int().nullable(),
  onTime: z.number().int().nullable(),
  onTimeRate: z.number().nullable(),
  avgProcessingWorkingDays: z.number().nullable(),
  zaloReachedShare: z.number().nullable(),
  ratings: z.number().int().nullable(),
  satisfactionAverage: z.number().nullable(),
  stars: z.array(z.number().int()).length(5).nullable(),
});

function months(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
}

/**
 * The public scoreboard `/cong-khai` and the open data `GET /api/public/stats` (JSON) and `.csv`: no login,
 * the same figures, small groups hidden (service.ts).
 */
export function publicStatsRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['Public: open data'];
    const range = (q: z.infer<typeof ZStatsQuery>) => {
      const d = defaultRange(app);
      const from = q.from ?? d.from;
      const to = q.to ?? d.to;
      const n = months(from, to);
      if (n < 1) {
        throw invalid('from', '`from` is after `to`', 'Tháng bắt đầu phải trước tháng kết thúc.');
      }
      if (n > MAX_MONTHS) {
        throw invalid(
          'from',
          `At most ${MAX_MONTHS} months per request`,
          `Tối đa ${MAX_MONTHS} tháng mỗi lần.`,
        );
      }
      return { agency: q.agency || undefined, from, to, period: q.period };
    };
    const cached = (reply: FastifyReply) =>
      reply.header('cache-control', 'public, max-age=60').header('access-control-allow-origin', '*');

    r.get(
      '/api/public/stats',
      {
        schema: {
          tags,
          summary: 'Service-quality figures per agency and for the province (open data)',
          querystring: ZStatsQuery,
          response: {
            200: z.object({
              from: z.string(),
              to: z.string(),
              minGroup: z.number().int(),
              rows: z.array(ZFigures),
            }),
          },
        },
      },
      async (req, reply) => {
        const q = range(req.query);
        cached(reply);
        return { from: q.from, to: q.to, minGroup: MIN_GROUP, rows: await cachedPublicStats(app, q) };
      },
    );
    r.get(
      '/api/public/stats.csv',
      {
        schema: {
          tags,
          summary: 'The same figures as CSV',
          querystring: ZStatsQuery,
          response: { 200: fileResponse('text/csv', 'One row per agency and month, then the province') },
        },
      },
      async (req, reply) => {
        const q = range(req.query);
        cached(reply)
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="cong-khai-${q.from}-${q.to}.csv"`);
        return toCsv(await cachedPublicStats(app, q));
      },
    );

    r.get(
      '/cong-khai',
      {
        schema: {
          hide: true,
          querystring: z.object({
            year: z.coerce.number().int().min(2000).max(2100).optional(),
            agency: z.string().max(40).optional(),
          }),
        },
      },
      async (req, reply) => {
        const thisYear = Number(vnDateOf(app.clock()).slice(0, 4));
        const year = req.query.year ?? thisYear;
        const agencies = await app.db.selectFrom('agency').select(['code', 'name']).orderBy('name').execute();
        const agency = agencies.find((a) => a.code === req.query.agency) ?? null;
        const scope = { agency: agency?.code, from: `${year}-01`, to: `${year}-12` };
        const [monthly, yearly] = await Promise.all([
          cachedPublicStats(app, { ...scope, period: 'month' }),
          cachedPublicStats(app, { ...scope, period: 'year' }),
        ]);
        const mine = (rows: typeof monthly) => rows.filter((x) => x.agencyCode === (agency?.code ?? null));
        const first = await app.db
          .selectFrom('public_stats_day')
          .select((eb) => eb.fn.min('day').as('first'))
          .executeTakeFirst();
        const firstYear = first?.first ? Number(String(first.first).slice(0, 4)) : thisYear;
        const years: number[] = [];
        for (let y = thisYear; y >= Math.min(firstYear, year); y--) {
          years.push(y);
        }
        const html = scoreboardPage({
          provinceName: (await siteInfo(app)).provinceName,
          year,
          years,
          agencies,
          agency,
          months: Array.from({ length: 12 }, (_, m) => {
            const period = `${year}-${String(m + 1).padStart(2, '0')}`;
            return (
              mine(monthly).find((x) => x.period === period) ?? {
                ...emptyFigures,
                period,
                agencyCode: agency?.code ?? null,
                agencyName: agency?.name ?? '',
              }
            );
          }),
          total: mine(yearly)[0] ?? null,
          perAgency: agency ? [] : yearly.filter((x) => x.agencyCode !== null),
        });
        return reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('content-security-policy', SCOREBOARD_CSP)
          .header('cache-control', 'public, max-age=60')
          .send(html);
      },
    );
  };
}

const emptyFigures = {
  received: null,
  resolved: null,
  onTime: null,
  onTimeRate: null,
  avgProcessingWorkingDays: null,
  zaloReachedShare: null,
  ratings: null,
  satisfactionAverage: null,
  stars: null,
};
