import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../actor.ts';
import { requireRole } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { invalid, NotFound } from '../errors.ts';
import { wakeCallbackSenders } from '../jobs/index.ts';
import { recordAudit } from '../record-audit.ts';
import { seal } from '../zalo/index.ts';
import { checkDestination, DestinationRefused } from './callback-destination.ts';

function present(s: { id: number; url: string; events: string[]; active: boolean; created_at: Date }) {
  return {
    id: s.id,
    url: s.url,
    events: s.events,
    active: s.active,
    createdAt: new Date(s.created_at).toISOString(),
  };
}

/**
 * A callback subscription of the calling API key: the URL, the events wanted, and a signing secret made here
 * and shown once (stored sealed with ENCRYPTION_KEY). Audited.
 */
export async function createSubscription(
  app: AppContext,
  actor: Actor,
  req: { url: string; events: string[] },
  ip: string | null,
) {
  requireRole(actor, ['integration'], 'subscribe to callbacks');
  // The body carries citizens' dossier codes and message outcomes: in production only over TLS.
  if (app.config.isProduction && !req.url.startsWith('https://')) {
    throw invalid(
      'url',
      'Callback URLs must use https in production',
      'Địa chỉ nhận callback phải dùng https.',
    );
  }
  // Our server makes these calls: not to its own network (each delivery checks again, DNS may change).
  try {
    await checkDestination(req.url, app.config.callbacks.allowPrivateNetworks);
  } catch (err) {
    if (err instanceof DestinationRefused) {
      throw invalid(
        'url',
        `Callback URLs must reach a public address: ${err.message}`,
        'Địa chỉ nhận callback phải là địa chỉ công khai trên Internet, không được trỏ tới mạng nội bộ, ' +
          'địa chỉ loopback hay dịch vụ metadata của máy chủ.',
      );
    }
    throw err;
  }
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  return app.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('callback_subscription')
      .values({
        agency_id: actor.agencyId,
        api_key_id: actor.id,
        url: req.url,
        events: sql<string[]>`${[...new Set(req.events)]}::text[]`,
        secret_enc: seal(app.config.secrets.encryptionKey, secret),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(
      tx,
      actor,
      'callback.subscribe',
      { type: 'callback_subscription', id: row.id },
      {
        url: row.url,
        events: row.events,
      },
      ip,
    );
    return { ...present(row), secret };
  });
}

export async function listSubscriptions(app: AppContext, actor: Actor) {
  const rows = await app.db
    .selectFrom('callback_subscription')
    .selectAll()
    .where('agency_id', '=', actor.agencyId)
    .$if(actor.kind === 'api_key', (q) => q.where('api_key_id', '=', actor.id))
    .orderBy('id')
    .execute();
  return rows.map(present);
}

/** Stops a subscription: nothing more is queued for it; deliveries already queued are given up. Audited. */
export async function deleteSubscription(app: AppContext, actor: Actor, id: number, ip: string | null) {
  await app.db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('callback_subscription')
      .set({ active: false, updated_at: app.clock() })
      .where('id', '=', id)
      .where('agency_id', '=', actor.agencyId)
      .$if(actor.kind === 'api_key', (q) => q.where('api_key_id', '=', actor.id))
      .where('active', '=', true)
      .returning('id')
      .executeTakeFirst();
    if (!row) {
      throw NotFound('callback_subscription', String(id), 'Không tìm thấy đăng ký nhận callback.');
    }
    await tx
      .updateTable('callback_delivery')
      .set({ state: 'given_up', last_error: 'subscription deleted' })
      .where('subscription_id', '=', id)
      .where('state', '=', 'pending')
      .execute();
    await recordAudit(tx, actor, 'callback.unsubscribe', { type: 'callback_subscription', id }, {}, ip);
  });
}

/** The delivery log of the agency's subscriptions, newest first (the admin page). */
export async function listDeliveries(
  app: AppContext,
  actor: Actor,
  o: { subscriptionId?: number; state?: string; limit: number },
) {
  const rows = await app.db
    .selectFrom('callback_delivery as d')
    .innerJoin('callback_subscription as s', 's.id', 'd.subscription_id')
    .innerJoin('integration_event as e', 'e.id', 'd.event_id')
    .select([
      'd.id',
      'd.subscription_id',
      's.url',
      'e.type',
      'e.dossier_code',
      'd.state',
      'd.attempts',
      'd.last_status',
      'd.last_error',
      'd.last_attempt_at',
      'd.next_attempt_at',
      'd.delivered_at',
      'd.created_at',
    ])
    .where('s.agency_id', '=', actor.agencyId)
    .$if(o.subscriptionId !== undefined, (q) => q.where('d.subscription_id', '=', o.subscriptionId!))
    .$if(o.state !== undefined, (q) =>
      q.where('d.state', '=', o.state as 'pending' | 'delivered' | 'given_up'),
    )
    .orderBy('d.id', 'desc')
    .limit(o.limit)
    .execute();
  const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
  return rows.map((r) => ({
    id: r.id,
    subscriptionId: r.subscription_id,
    url: r.url,
    type: r.type,
    dossierCode: r.dossier_code,
    state: r.state,
    attempts: r.attempts,
    lastStatus: r.last_status,
    lastError: r.last_error,
    lastAttemptAt: iso(r.last_attempt_at),
    nextAttemptAt: iso(r.next_attempt_at),
    deliveredAt: iso(r.delivered_at),
    createdAt: iso(r.created_at),
  }));
}

/**
 * "Resend": the event goes out again as a new delivery at the end of the dossier's queue (a delivered one is
 * sent once more, a given-up one tried again for another 24 h). Audited.
 */
export async function resendDelivery(app: AppContext, actor: Actor, id: number, ip: string | null) {
  const created = await app.db.transaction().execute(async (tx) => {
    const d = await tx
      .selectFrom('callback_delivery as d')
      .innerJoin('callback_subscription as s', 's.id', 'd.subscription_id')
      .select(['d.id', 'd.event_id', 'd.subscription_id', 'd.dossier_id', 'd.state', 's.active'])
      .where('d.id', '=', id)
      .where('s.agency_id', '=', actor.agencyId)
      .executeTakeFirst();
    if (!d?.active) {
      throw NotFound('callback_delivery', String(id), 'Không tìm thấy lần gửi callback này.');
    }
    // One row per subscription and event: a resend is that row made pending again, attempts afresh.
    const row = await tx
      .updateTable('callback_delivery')
      .set({
        state: 'pending',
        attempts: 0,
        next_attempt_at: null,
        claimed_until: null,
        first_attempt_at: null,
        delivered_at: null,
        tx: sql`pg_current_xact_id()`,
      })
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, actor, 'callback.resend', { type: 'callback_delivery', id }, { from: d.state }, ip);
    return row;
  });
  wakeCallbackSenders(app);
  return created;
}
