import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userIdOf } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { ZNoContent } from '../contracts/errors.ts';
import { invalid } from '../errors.ts';
import { actorOfRequest, officerAuth } from '../http/auth.ts';
import { recordAudit } from '../record-audit.ts';
import { oaQrJpeg, removeOaQrImage, storeOaQrImage } from './oa-qr.ts';
import { posterPdf } from './poster.ts';

/**
 * The province's Zalo OA on paper and screen: the OA QR image and the printed desk poster (public, cached a
 * few minutes), and the administrators' upload of the OA QR (or the way back to the generated one).
 */
export function zaloOaRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    r.get('/qrcode/zalo-qrcode.jpg', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .header('content-type', 'image/jpeg')
        .header('cache-control', 'public, max-age=300')
        .send(await oaQrJpeg(app)),
    );
    r.get(
      '/qrcode/tra-cuu-zalo.pdf',
      { schema: { hide: true, querystring: z.object({ agency: z.string().max(35).optional() }) } },
      async (req, reply) => {
        const { pdf, etag } = await posterPdf(app, req.query.agency);
        reply.header('etag', etag).header('cache-control', 'public, max-age=300');
        if (req.headers['if-none-match'] === etag) {
          return reply.status(304).send();
        }
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', 'inline; filename="tra-cuu-ho-so-qua-zalo.pdf"')
          .send(pdf);
      },
    );

    const admin = { preHandler: officerAuth(app, ['admin']) };
    fastify.addContentTypeParser(
      ['image/jpeg', 'image/png'],
      { parseAs: 'buffer', bodyLimit: 1024 * 1024 },
      (_req, body, done) => done(null, body),
    );
    r.put(
      '/api/zalo/oa-qr',
      {
        ...admin,
        schema: {
          tags: ['Officer app: Zalo'],
          summary: 'Upload the OA QR image (JPEG or PNG body, ≤ 1 MB)',
          response: { 204: ZNoContent },
        },
      },
      async (req, reply) => {
        const body = req.body;
        if (!Buffer.isBuffer(body)) {
          throw invalid(
            'image',
            'Send the image as the body with Content-Type image/jpeg or image/png',
            'Vui lòng chọn ảnh JPEG hoặc PNG.',
          );
        }
        const actor = actorOfRequest(req);
        await app.db.transaction().execute(async (tx) => {
          await storeOaQrImage(tx, body, userIdOf(actor));
          await recordAudit(
            tx,
            actor,
            'zalo.oa_qr.upload',
            { type: 'oa_qr_image', id: 1 },
            { bytes: body.length },
            req.ip,
          );
        });
        return reply.status(204).send(null);
      },
    );
    r.delete(
      '/api/zalo/oa-qr',
      {
        ...admin,
        schema: {
          tags: ['Officer app: Zalo'],
          summary: 'Go back to the generated OA QR',
          response: { 204: ZNoContent },
        },
      },
      async (req, reply) => {
        const actor = actorOfRequest(req);
        await app.db.transaction().execute(async (tx) => {
          await removeOaQrImage(tx);
          await recordAudit(tx, actor, 'zalo.oa_qr.remove', { type: 'oa_qr_image', id: 1 }, {}, req.ip);
        });
        return reply.status(204).send(null);
      },
    );
  };
}
