import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { ZDossierRating, ZFollowUpAnswer, ZFollowUpList, ZRatingSummary } from '../contracts/ratings.ts';
import { actorOfRequest, officerAuth } from '../http/auth.ts';
import { findDossierCodes } from '../lookup/index.ts';
import { addHit, secondsToWindowEnd } from '../rate-limit/index.ts';
import { siteInfo } from '../zalo-oa/index.ts';
import { answerFollowUp, dossierRating, listFollowUps, ratingSummary } from './officer-views.ts';
import { RATING_CSP, ratingFormPage, ratingMessagePage, ratingThanksPage } from './page.ts';
import { findRatable } from './repo.ts';
import { REFUSAL_MESSAGES, ratingRefusal, verifyRatingSignature } from './rules.ts';
import { recordRating } from './service.ts';

/**
 * Page views and submissions per client address and minute, across every node (counted in PostgreSQL, so
 * nodes behind a load balancer do not multiply it): enough for a family on one Wi-Fi.
 */
const RATING_PAGE_PER_MINUTE = 30;
const RATING_PAGE_WINDOW_SECONDS = 60;

/** A form body: repeated fields (the ticked reasons) become arrays. */
function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
const many = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * The citizen's rating page `/danh-gia/<code>?sig=…` (no login: the signature of the invitation's link is
 * the key), and the officer app's ratings API.
 */
export function ratingRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    fastify.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 8192 },
      (_req, body, done) => done(null, parseForm(body as string)),
    );
    const page = (reply: FastifyReply, status: number, html: string) =>
      reply
        .status(status)
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', RATING_CSP)
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .send(html);

    /** The dossier the link is for, or the page that says why not (answered here). */
    const opened = async (req: FastifyRequest, reply: FastifyReply, rawCode: string, sig: string) => {
      const province = (await siteInfo(app)).provinceName;
      const now = app.clock();
      if (
        (await addHit(app.db, `rating-page:${req.ip}`, RATING_PAGE_WINDOW_SECONDS, now)) >
        RATING_PAGE_PER_MINUTE
      ) {
        const retryAfterSeconds = secondsToWindowEnd(now, RATING_PAGE_WINDOW_SECONDS);
        reply.header('retry-after', String(retryAfterSeconds));
        await page(
          reply,
          429,
          ratingMessagePage(
            province,
            'Thao tác quá nhiều lần',
            `Vui lòng thử lại sau ${retryAfterSeconds} giây.`,
          ),
        );
        return undefined;
      }
      const code = findDossierCodes(rawCode)[0] ?? rawCode.slice(0, 80);
      if (!verifyRatingSignature(app.config.secrets.lookupLink, code, sig || undefined)) {
        await page(
          reply,
          403,
          ratingMessagePage(
            province,
            'Đường dẫn không hợp lệ',
            'Đường dẫn đánh giá này không hợp lệ (có thể đã bị sửa hoặc chép thiếu). Vui lòng mở lại đường dẫn trong tin nhắn mời đánh giá.',
          ),
        );
        return undefined;
      }
      const d = await findRatable(app.db, code, false);
      if (!d) {
        await page(
          reply,
          404,
          ratingMessagePage(province, 'Không tìm thấy hồ sơ', 'Không tìm thấy hồ sơ này.'),
        );
        return undefined;
      }
      return { d, code, province };
    };

    r.get(
      '/danh-gia/:code',
      {
        schema: {
          hide: true,
          params: z.object({ code: z.string() }),
          querystring: z.object({ sig: z.string().max(100).optional() }),
        },
      },
      async (req, reply) => {
        const sig = req.query.sig ?? '';
        const o = await opened(req, reply, req.params.code, sig);
        if (!o) {
          return reply;
        }
        const { d, province } = o;
        const refusal = ratingRefusal(
          {
            invitedAt: d.invited_at ? new Date(d.invited_at) : null,
            firstRatedAt: d.first_rated_at ? new Date(d.first_rated_at) : null,
          },
          app.clock(),
        );
        if (refusal) {
          return page(
            reply,
            409,
            ratingMessagePage(province, 'Không thể đánh giá', REFUSAL_MESSAGES[refusal]),
          );
        }
        return page(
          reply,
          200,
          ratingFormPage(
            province,
            {
              code: d.code,
              procedureName: d.procedure_name,
              agencyName: d.agency_name,
              current:
                d.stars === null
                  ? null
                  : { stars: d.stars, reasons: d.reasons ?? [], comment: d.comment ?? '' },
            },
            sig,
          ),
        );
      },
    );

    r.post(
      '/danh-gia/:code',
      { schema: { hide: true, params: z.object({ code: z.string() }) } },
      async (req, reply) => {
        const body = (req.body ?? {}) as Record<string, string | string[]>;
        const sig = one(body.sig).slice(0, 100);
        const o = await opened(req, reply, req.params.code, sig);
        if (!o) {
          return reply;
        }
        const { d, province } = o;
        const stars = Number(one(body.stars));
        const current =
          d.stars === null ? null : { stars: d.stars, reasons: d.reasons ?? [], comment: d.comment ?? '' };
        const pageDossier = {
          code: d.code,
          procedureName: d.procedure_name,
          agencyName: d.agency_name,
          current,
        };
        if (!Number.isInteger(stars) || stars < 1 || stars > 5) {
          return page(
            reply,
            400,
            ratingFormPage(province, pageDossier, sig, {
              text: 'Vui lòng chọn số sao (từ 1 đến 5).',
              kind: 'error',
            }),
          );
        }
        const result = await recordRating(app, {
          code: d.code,
          stars,
          reasons: many(body.reasons).slice(0, 20),
          comment: one(body.comment).slice(0, 4000),
          channel: 'web',
        });
        if (result.outcome === 'recorded' || result.outcome === 'replaced') {
          return page(
            reply,
            200,
            ratingThanksPage(province, d.code, result.stars, result.outcome === 'replaced'),
          );
        }
        if (result.outcome === 'not_found') {
          return page(
            reply,
            404,
            ratingMessagePage(province, 'Không tìm thấy hồ sơ', 'Không tìm thấy hồ sơ này.'),
          );
        }
        return page(
          reply,
          409,
          ratingMessagePage(province, 'Không thể đánh giá', REFUSAL_MESSAGES[result.outcome]),
        );
      },
    );

    // Officer app.
    const tags = ['Officer app: ratings'];
    r.get(
      '/api/dossiers/:code/rating',
      {
        preHandler: officerAuth(app),
        schema: { tags, params: z.object({ code: z.string().max(80) }), response: { 200: ZDossierRating } },
      },
      async (req) => dossierRating(app, actorOfRequest(req), req.params.code),
    );
    r.get(
      '/api/ratings/summary',
      { preHandler: officerAuth(app), schema: { tags, response: { 200: ZRatingSummary } } },
      async (req) => ratingSummary(app, actorOfRequest(req)),
    );
    r.get(
      '/api/ratings/follow-ups',
      {
        preHandler: officerAuth(app),
        schema: {
          tags,
          querystring: z.object({ state: z.enum(['open', 'all']).default('open') }),
          response: { 200: ZFollowUpList },
        },
      },
      async (req) => listFollowUps(app, actorOfRequest(req), req.query.state),
    );
    r.post(
      '/api/ratings/follow-ups/:code/answer',
      {
        preHandler: officerAuth(app),
        schema: {
          tags,
          params: z.object({ code: z.string().max(80) }),
          body: ZFollowUpAnswer,
          response: { 200: z.object({ ok: z.literal(true) }) },
        },
      },
      async (req) => {
        await answerFollowUp(app, actorOfRequest(req), req.params.code, req.body.answer, req.ip);
        return { ok: true as const };
      },
    );
  };
}
