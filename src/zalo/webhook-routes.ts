import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { ZALO_EVENT_TASK } from './event-task.ts';
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
        // One statement, so one round trip before the 200: the event stored once under its unique key and, in
        // the same transaction, its job queued ahead of any backlog (a citizen waits for the bot). Receipts
        // need no job: the worker nodes' receipt recorders take them from the table by the batch.
        const queue =
          name === RECEIPT_EVENT
            ? sql`null`
            : sql`(select 1 from graphile_worker.add_job(${ZALO_EVENT_TASK}, json_build_object('eventId', ins.id),
                job_key => 'zalo-event:' || ins.id, priority => -10))`;
        await sql`with ins as (
            insert into zalo_event (dedupe_key, event_name, server, raw)
            values (${eventDedupeKey(event, raw)}, ${name},
              ${(request.headers['x-zevent-server'] as string | undefined)?.slice(0, 50) ?? null}, ${JSON.stringify(event)})
            on conflict (dedupe_key) do nothing
            returning id
          )
          select ins.id, ${queue} as queued from ins`.execute(app.db);
        return reply.status(200).send({ ok: true });
      },
    );
  };
}
