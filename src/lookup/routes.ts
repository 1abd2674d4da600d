import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { ZPublicLookup } from '../contracts/lookup.ts';
import { invalid, NotFound, TooManyRequests } from '../errors.ts';
import { sendNotFound } from '../http/errors.ts';
import { prefersHtml } from '../http/html.ts';
import { metricsOf } from '../operations/index.ts';
import { siteInfo } from '../zalo-oa/index.ts';
import { findDossierCodes } from './codes-in-text.ts';
import { LookupBatcher } from './lookup-batcher.ts';
import {
  findDossiersForLookup,
  type LookupRequest,
  type LookupResult,
  lookUpDossier,
} from './lookup-dossier.ts';
import {
  LOOKUP_CSP,
  lookupFormPage,
  lookupResultPage,
  notFoundPage,
  rateLimitedPage,
} from './lookup-page.ts';
import { WindowLimiter } from './window-limiter.ts';

const SECOND_FACTOR_NOTICES = {
  wrong:
    'Số vừa nhập không khớp với 4 số cuối điện thoại hoặc CCCD của người nộp. Chỉ hiển thị thông tin chung.',
  locked: 'Đã nhập sai quá nhiều lần. Vui lòng thử lại sau 1 giờ hoặc liên hệ Bộ phận Một cửa.',
  ok: 'Đã xác minh người nộp hồ sơ.',
} as const;

/** A receipt link whose signature does not match its code: copied wrong, or altered. */
const INVALID_LINK_NOTICE =
  'Đường dẫn tra cứu này không hợp lệ (có thể đã bị sửa hoặc chép thiếu), nên chỉ hiển thị thông tin chung của hồ sơ. Hãy quét lại mã QR trên Giấy tiếp nhận hồ sơ, hoặc nhập 4 số cuối điện thoại hoặc CCCD của người nộp bên dưới.';

const ZLookupQuery = z.object({
  code: z
    .string()
    .max(200)
    .describe('The dossier code as printed on the receipt (loose formats are accepted)'),
  sig: z.string().max(100).optional().describe('Signature of the receipt QR link'),
});
const ZLookupBody = z.object({
  code: z.string().max(200),
  secondFactor: z.string().max(20).optional().describe('Last 4 digits of the applicant’s phone or ID number'),
});

/**
 * Citizen look-up without an account: `/tra-cuu` pages (what the receipt QR opens) and the JSON look-up (the
 * OA QR image and the desk poster are src/zalo-oa/routes.ts). Look-ups are rate-limited per client address against enumeration of the
 * sequential codes; pages carry a strict CSP and never put personal data in a URL.
 */
export function lookupRoutes(app: AppContext) {
  const limiter = new WindowLimiter(app.config.lookup.perMinutePerIp, 60_000);
  const dossiers = new LookupBatcher(
    (codes, notificationsFor) => findDossiersForLookup(app.db, codes, { notificationsFor }),
    app.logger,
  );
  const lookUp = (req: LookupRequest) =>
    lookUpDossier(app, req, (code, signed) => dossiers.find(code, signed));
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    fastify.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );

    const page = async (reply: FastifyReply, status: number, html: string) =>
      reply
        .status(status)
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', LOOKUP_CSP)
        .header('cache-control', 'no-store')
        // The receipt link's signature must not leak to the OA page or anywhere else through Referer.
        .header('referrer-policy', 'no-referrer')
        .send(html);

    /** Counts the request against its address; answers 429 itself when over the limit. */
    const admitted = async (req: FastifyRequest, reply: FastifyReply, html: boolean) => {
      const hit = limiter.hit(req.ip, app.clock().getTime());
      if (hit.allowed) {
        return true;
      }
      metricsOf(app).lookups.inc({ channel: html ? 'web' : 'api', outcome: 'limited' });
      reply.header('retry-after', String(hit.retryAfterSeconds));
      if (html) {
        await page(reply, 429, rateLimitedPage(await siteInfo(app), hit.retryAfterSeconds));
      } else {
        throw TooManyRequests(
          `Too many look-ups from this address; retry in ${hit.retryAfterSeconds} s`,
          `Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau ${hit.retryAfterSeconds} giây.`,
          hit.retryAfterSeconds,
        );
      }
      return false;
    };

    const htmlResult = async (
      reply: FastifyReply,
      code: string,
      result: LookupResult,
      signature?: string,
    ) => {
      const site = await siteInfo(app);
      metricsOf(app).lookups.inc({ channel: 'web', outcome: result.found ? 'found' : 'not_found' });
      if (!result.found) {
        return page(reply, 404, notFoundPage(site, code));
      }
      const notice =
        signature && result.view.access === 'public'
          ? { text: INVALID_LINK_NOTICE, kind: 'error' as const }
          : result.secondFactor === 'none'
            ? undefined
            : {
                text: SECOND_FACTOR_NOTICES[result.secondFactor],
                kind: result.secondFactor === 'ok' ? ('ok' as const) : ('error' as const),
              };
      return page(reply, 200, lookupResultPage(site, result.view, notice));
    };

    r.get(
      '/tra-cuu',
      { schema: { hide: true, querystring: z.object({ code: z.string().max(200).optional() }) } },
      async (req, reply) => {
        const code = req.query.code ? findDossierCodes(req.query.code)[0] : undefined;
        if (code) {
          return reply.redirect(`/tra-cuu/${encodeURIComponent(code)}`, 303);
        }
        return page(reply, 200, lookupFormPage(await siteInfo(app)));
      },
    );

    r.get(
      '/tra-cuu/:code',
      {
        schema: {
          hide: true,
          // Bounded by the router's maxParamLength: anything longer than a code is answered as not found.
          params: z.object({ code: z.string() }),
          querystring: z.object({ sig: z.string().max(100).optional() }),
        },
      },
      async (req, reply) => {
        if (!(await admitted(req, reply, true))) {
          return reply;
        }
        const code = findDossierCodes(req.params.code)[0];
        if (!code) {
          return page(reply, 404, notFoundPage(await siteInfo(app), req.params.code));
        }
        const signature = req.query.sig;
        return htmlResult(reply, code, await lookUp({ code, signature }), signature);
      },
    );

    // Anything else under /tra-cuu/ (a link cut or mistyped, with a slash in it): a browser gets the form.
    r.get('/tra-cuu/*', { schema: { hide: true } }, async (req, reply) =>
      prefersHtml(req) ? reply.redirect('/tra-cuu', 303) : sendNotFound(req, reply),
    );

    r.post(
      '/tra-cuu',
      {
        schema: {
          hide: true,
          body: z.object({ code: z.string().max(200).default(''), factor: z.string().max(20).optional() }),
        },
      },
      async (req, reply) => {
        if (!(await admitted(req, reply, true))) {
          return reply;
        }
        const code = findDossierCodes(req.body.code)[0];
        if (!code) {
          const site = await siteInfo(app);
          return page(
            reply,
            400,
            lookupFormPage(site, {
              code: req.body.code,
              message: 'Mã hồ sơ chưa đúng định dạng. Vui lòng nhập đúng mã in trên Giấy tiếp nhận hồ sơ.',
            }),
          );
        }
        return htmlResult(reply, code, await lookUp({ code, secondFactor: req.body.factor, ip: req.ip }));
      },
    );

    const tags = ['Public look-up'];
    const json = async (
      req: FastifyRequest,
      reply: FastifyReply,
      looseCode: string,
      result: (code: string) => Promise<LookupResult>,
    ) => {
      await admitted(req, reply, false);
      const code = findDossierCodes(looseCode)[0];
      if (!code) {
        throw invalid(
          'code',
          'Not a dossier code (expected <agency code>-YYMMDD-NNNN)',
          'Mã hồ sơ chưa đúng định dạng.',
        );
      }
      const found = await result(code);
      metricsOf(app).lookups.inc({ channel: 'api', outcome: found.found ? 'found' : 'not_found' });
      if (!found.found) {
        throw NotFound('dossier', code, 'Không tìm thấy hồ sơ.');
      }
      reply.header('cache-control', 'no-store');
      return { ...found.view, secondFactor: found.secondFactor };
    };
    r.get(
      '/api/public/lookup',
      {
        schema: {
          tags,
          summary:
            'Look a dossier up by code (what an unauthenticated look-up may show; more with the QR signature)',
          querystring: ZLookupQuery,
          response: { 200: ZPublicLookup },
        },
      },
      async (req, reply) =>
        json(req, reply, req.query.code, (code) => lookUp({ code, signature: req.query.sig })),
    );
    r.post(
      '/api/public/lookup',
      {
        schema: {
          tags,
          summary: 'Look a dossier up with the second factor (last 4 digits of phone or ID number)',
          body: ZLookupBody,
          response: { 200: ZPublicLookup },
        },
      },
      async (req, reply) =>
        json(req, reply, req.body.code, (code) =>
          lookUp({ code, secondFactor: req.body.secondFactor, ip: req.ip }),
        ),
    );
  };
}
