import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { exchange } from '../http/outbound.ts';
import { type Backoff, backoffMs, CALLBACKS_CHANNEL, defineOutboxLane, workClaimed } from '../jobs/index.ts';
import { raiseAlert } from '../operations/index.ts';
import { open } from '../zalo/index.ts';
import { checkDestination, DestinationRefused, pinnedLookup } from './callback-destination.ts';
import { SIGNATURE_HEADER, signCallback } from './signature.ts';

const BATCH = 32;
/** How long a delivery is retried from its first attempt before it is given up (an alert says so). */
export const GIVE_UP_AFTER_MS = 24 * 3600_000;
/** Callbacks that fail: 5 s, 10 s, 20 s … at most an hour apart (the same wait every time: order matters more). */
export const CALLBACK_BACKOFF: Backoff = { firstMs: 5_000, maxMs: 3600_000 };

export function retryDelayMs(attempts: number): number {
  return backoffMs(CALLBACK_BACKOFF, attempts);
}

interface Claimed {
  id: number;
  subscription_id: number;
  event_id: number;
  attempts: number;
  first_attempt_at: Date;
  url: string;
  secret_enc: string;
  type: string;
  dossier_code: string | null;
  at: Date;
  data: Record<string, unknown>;
}

/**
 * Claims up to `limit` due deliveries, each with a lease (a node that dies mid-delivery leaves it to another
 * one when the lease ends: at least once). In order per dossier and subscription: a delivery is claimed only
 * when no earlier one of its dossier is still pending, and only below the oldest running transaction, so an
 * earlier event committed late is never overtaken. (lanes.ts's claimBatch knows only its own tables.)
 */
async function claimDeliveries(app: AppContext, limit: number): Promise<Claimed[]> {
  const now = app.clock();
  const leaseMs = app.config.callbacks.timeoutMs + 5_000;
  const { rows } = await sql<Claimed>`
    with due as (
      select d.id from callback_delivery d
      where d.state = 'pending'
        and (d.next_attempt_at is null or d.next_attempt_at <= ${now})
        and (d.claimed_until is null or d.claimed_until < ${now})
        and d.tx < pg_snapshot_xmin(pg_current_snapshot())
        and not exists (
          select 1 from callback_delivery e
          where e.state = 'pending' and e.subscription_id = d.subscription_id
            and e.dossier_id is not distinct from d.dossier_id and (e.tx, e.id) < (d.tx, d.id))
      order by d.tx, d.id
      limit ${limit}
      for update skip locked
    ), claimed as (
      update callback_delivery t
      set claimed_until = ${new Date(now.getTime() + leaseMs)}, attempts = t.attempts + 1,
          first_attempt_at = coalesce(t.first_attempt_at, ${now}), last_attempt_at = ${now}
      from due where t.id = due.id
      returning t.*
    )
    select c.id, c.subscription_id, c.event_id, c.attempts, c.first_attempt_at, s.url, s.secret_enc,
           e.type, e.dossier_code, e.at, e.data
    from claimed c
    join callback_subscription s on s.id = c.subscription_id
    join integration_event e on e.id = c.event_id`.execute(app.db);
  return rows;
}

/** The JSON body of a callback (and of an item of GET /api/v1/events). */
export function eventBody(e: {
  event_id: number;
  type: string;
  dossier_code: string | null;
  at: Date | string;
  data: Record<string, unknown>;
}) {
  return {
    id: String(e.event_id),
    type: e.type,
    at: new Date(e.at).toISOString(),
    dossierCode: e.dossier_code,
    data: e.data,
  };
}

class CallbackRefused extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One delivery: a signed POST; a 2xx answer within the timeout is success, anything else (a redirect too: it is
 * not followed) a failure. The host is resolved and checked first, and the connection goes to the address
 * checked: a name that resolves to an internal address now, or did not at subscription, is refused unconnected.
 */
async function deliver(app: AppContext, c: Claimed): Promise<number> {
  let destination: Awaited<ReturnType<typeof checkDestination>>;
  try {
    destination = await checkDestination(
      c.url,
      app.config.callbacks.allowPrivateNetworks,
      undefined,
      app.config.callbacks.timeoutMs,
    );
  } catch (err) {
    if (err instanceof DestinationRefused) {
      throw new CallbackRefused(null, `not sent: ${err.message}`);
    }
    throw err;
  }
  const body = JSON.stringify(eventBody(c));
  const timestamp = Math.floor(app.clock().getTime() / 1000);
  const secret = open(app.config.secrets.encryptionKey, c.secret_enc);
  let answer: { status: number; text: string };
  try {
    answer = await exchange(
      c.url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'motcua-zalo-callbacks/1',
          [SIGNATURE_HEADER]: signCallback(secret, timestamp, body),
          'x-motcua-event-id': String(c.event_id),
          'x-motcua-event-type': c.type,
          'x-motcua-delivery-id': String(c.id),
        },
        body,
        ...(destination ? { lookup: pinnedLookup(destination) } : {}),
      },
      app.config.callbacks.timeoutMs,
    );
  } catch (err) {
    throw new CallbackRefused(null, (err as Error).message || 'no answer');
  }
  if (answer.status < 200 || answer.status >= 300) {
    throw new CallbackRefused(answer.status, `HTTP ${answer.status}: ${answer.text.slice(0, 200)}`);
  }
  return answer.status;
}

/** Sends one batch of due callbacks; returns how many were claimed. */
export async function sendDueCallbacks(app: AppContext, limit = BATCH): Promise<number> {
  const claimed = await claimDeliveries(app, limit);
  const statuses = new Map<number, number>();
  const done = await workClaimed(app, claimed, {
    what: 'a callback',
    idOf: (c) => c.id,
    maxAttempts: Number.POSITIVE_INFINITY,
    work: async (c) => statuses.set(c.id, await deliver(app, c)),
    failed: async (c, err) => {
      const now = app.clock();
      const givenUp = now.getTime() - new Date(c.first_attempt_at).getTime() >= GIVE_UP_AFTER_MS;
      await app.db
        .updateTable('callback_delivery')
        .set({
          claimed_until: null,
          next_attempt_at: new Date(now.getTime() + retryDelayMs(c.attempts)),
          last_status: err instanceof CallbackRefused ? err.status : null,
          last_error: err.message.slice(0, 500),
          ...(givenUp ? { state: 'given_up' as const } : {}),
        })
        .where('id', '=', c.id)
        .execute();
      if (givenUp) {
        await raiseAlert(
          app,
          'callback.given_up',
          'warning',
          `Không gửi được callback #${c.id} (${c.type}) đến ${c.url} sau 24 giờ thử lại: ${err.message.slice(0, 200)}`,
        );
      }
    },
  });
  if (done.length > 0) {
    await sql`
      update callback_delivery set state = 'delivered', delivered_at = ${app.clock()}, claimed_until = null,
        last_status = s.status, last_error = null
      from unnest(${done.map((c) => c.id)}::bigint[], ${done.map((c) => statuses.get(c.id) ?? 200)}::int[])
        as s(id, status)
      where callback_delivery.id = s.id`.execute(app.db);
  }
  return claimed.length;
}

/** How long events (the pull feed) and finished deliveries (the delivery log) are kept. */
export const KEEP_DAYS = 30;

/** Forgets finished deliveries and events older than KEEP_DAYS (a pending delivery keeps its event). */
export async function pruneCallbackHistory(app: AppContext): Promise<void> {
  const before = new Date(app.clock().getTime() - KEEP_DAYS * 86_400_000);
  await sql`delete from callback_delivery
    where state <> 'pending' and coalesce(delivered_at, last_attempt_at, created_at) < ${before}`.execute(
    app.db,
  );
  await sql`delete from integration_event e where e.at < ${before}
    and not exists (select 1 from callback_delivery d where d.event_id = e.id)`.execute(app.db);
}

/**
 * The worker node's callback senders: woken by the queuing triggers' NOTIFY, in-process, and by the poll. The
 * history is pruned by the hourly maintenance (src/app-background.ts).
 */
export const callbackLane = defineOutboxLane({
  what: 'the callback sender',
  name: CALLBACKS_CHANNEL,
  channel: CALLBACKS_CHANNEL,
  // A NOTIFY may come while an older transaction still runs (the claim waits for it, to keep the order):
  // a short poll picks the delivery up soon after. Idle, it is one cheap query on an empty partial index.
  pollMs: 100,
  lanes: 2,
  work: async (app) => (await sendDueCallbacks(app)) >= BATCH,
});
