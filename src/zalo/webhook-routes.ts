import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { KeyedBatcher } from '../db/keyed-batcher.ts';
import { AppError } from '../errors.ts';
import { storableCopy, tooDeep } from '../http/storable-text.ts';
import { wakeEventProcessors } from '../jobs/index.ts';
import { metricsOf } from '../operations/index.ts';
import { RECEIPT_EVENT } from './receipts.ts';
import { type IncomingEvent, orderedCitizenOf, storeEventsStatement } from './repo.ts';
import { eventDedupeKey, verifyZaloSignature } from './webhook.ts';

const BODY_LIMIT = 1024 * 1024;

/** A metric label from an event name: Zalo's names are a short list; anything else is one "other" series. */
function eventLabel(name: unknown): string {
  return typeof name === 'string' && /^[a-z_]{1,40}$/.test(name) ? name : 'other';
}

/**
 * `POST /webhooks/zalo`: verify the signature over the raw body (constant time), store the event once under a
 * unique key, enqueue its processing, answer 200 at once (Zalo wants it within 2 s). Missing or bad
 * signature: 401 and nothing stored; malformed JSON: 400; over 1 MB: 413.
 */
export function zaloWebhookRoutes(app: AppContext) {
  // Events arriving together are stored by one statement (one commit, one WAL flush) under their unique keys;
  // each is answered once that statement committed. The answer says whether the event is new.
  const store = new KeyedBatcher<string, IncomingEvent, true>(async (batch) => {
    const stored = await storeEventsStatement([...batch.values()]).execute(app.db);
    return new Map(stored.rows.map((r) => [r.dedupe_key, true as const]));
  }, app.logger);
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
          if (!event || typeof event !== 'object' || Array.isArray(event) || tooDeep(event)) {
            throw new Error('not an object of a plausible depth');
          }
        } catch {
          metricsOf(app).webhookEvents.inc({ event: 'unknown', outcome: 'malformed' });
          throw new AppError(
            'malformed_event',
            'The body is not a JSON object (or nests deeper than 32 levels)',
            'Dữ liệu không hợp lệ.',
          );
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
          metricsOf(app).webhookEvents.inc({ event: eventLabel(event.event_name), outcome: 'bad_signature' });
          request.log.warn({ event: event.event_name }, 'zalo webhook with a missing or bad signature');
          throw new AppError('bad_signature', 'X-ZEvent-Signature does not match', 'Chữ ký không hợp lệ.');
        }
        if (matched === 'oaId') {
          request.log.info('zalo webhook signature matched with the OA id, not the app id');
        }
        const name = String(event.event_name ?? 'unknown').slice(0, 100);
        // Stored once under its unique key before the 200. The worker nodes take events from the table
        // (receipts by the batch, the rest by the event processors).
        const dedupeKey = eventDedupeKey(event, raw);
        const stored = await store.submit(dedupeKey, {
          dedupeKey,
          name,
          citizen: orderedCitizenOf(name, event),
          server: (request.headers['x-zevent-server'] as string | undefined)?.slice(0, 50) ?? null,
          // Kept, not refused: what Zalo delivered is the citizen's; only what PostgreSQL cannot hold changes.
          raw: JSON.stringify(storableCopy(event)),
        });
        metricsOf(app).webhookEvents.inc({
          event: eventLabel(name),
          outcome: stored ? 'stored' : 'duplicate',
        });
        if (stored && name !== RECEIPT_EVENT) {
          wakeEventProcessors(app);
        }
        return reply.status(200).send({ ok: true });
      },
    );
  };
}
