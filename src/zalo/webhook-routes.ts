import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { wakeEventProcessors } from './event-lane.ts';
import { RECEIPT_EVENT } from './receipts.ts';
import { eventDedupeKey, verifyZaloSignature } from './webhook.ts';

const BODY_LIMIT = 1024 * 1024;

/**
 * `POST /webhooks/zalo`: verify the signature over the raw body (constant time), store the event once under a
 * unique key, enqueue its processing, answer 200 at once (Zalo wants it within 2 s). Missing or bad
 * signature: 401 and nothing stored; malformed JSON: 400; over 1 MB: 413.
 */
export function zaloWebhookRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    // The signature covers the raw bytes: keep the body as text whatever its declared type.
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_request, body, done) =>
      done(null, body),
    );
    fastify.post(
      '/webhooks/zalo',
      { bodyLimit: BODY_LIMIT, schema: { hide: true } },
      async (request, reply) => {
        const raw = typeof request.body === 'string' ? request.body : '';
        let event: Record<string, unknown>;
        try {
          event = JSON.parse(raw) as Record<string, unknown>;
          if (!event || typeof event !== 'object' || Array.isArray(event)) {
            throw new Error('not an object');
          }
        } catch {
          return reply.status(400).send({
            error: 'malformed_event',
            message: 'The body is not a JSON object',
            userMessage: 'Dữ liệu không hợp lệ.',
            details: null,
          });
        }
        const secret = app.config.zalo.oaSecretKey;
        const matched = secret
          ? verifyZaloSignature(
              request.headers['x-zevent-signature'] as string | undefined,
              raw,
              String(event.timestamp ?? ''),
              { appId: app.config.zalo.appId, oaId: app.config.zalo.oaId },
              secret,
            )
          : undefined;
        if (!matched) {
          request.log.warn({ event: event.event_name }, 'zalo webhook with a missing or bad signature');
          return reply.status(401).send({
            error: 'bad_signature',
            message: 'X-ZEvent-Signature does not match',
            userMessage: 'Chữ ký không hợp lệ.',
            details: null,
          });
        }
        if (matched === 'oaId') {
          request.log.info('zalo webhook signature matched with the OA id, not the app id');
        }
        const name = String(event.event_name ?? 'unknown').slice(0, 100);
        // One statement, one round trip before the 200: the event stored once under its unique key. The worker
        // nodes take events from the table (receipts by the batch, the rest by the event processors).
        const stored = await app.db
          .insertInto('zalo_event')
          .values({
            dedupe_key: eventDedupeKey(event, raw),
            event_name: name,
            server: (request.headers['x-zevent-server'] as string | undefined)?.slice(0, 50) ?? null,
            raw: JSON.stringify(event),
          })
          .onConflict((oc) => oc.column('dedupe_key').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (stored && name !== RECEIPT_EVENT) {
          wakeEventProcessors(app);
        }
        return reply.status(200).send({ ok: true });
      },
    );
  };
}
