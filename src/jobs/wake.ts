import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Queryable } from '../db/pool.ts';

/**
 * Wake-ups of the background lanes, in a module of their own: the code that adds work (intake, the connector,
 * the webhook, the planners) wakes whoever does it without importing them — and so without importing
 * notification planning or the SMS/e-mail policy.
 */

/** The channel, and the in-process signal, on which a written status change wakes the planners. */
export const STATUS_CHANGES_CHANNEL = 'status_changes';
/** The name by which a node's dispatcher is woken when messages become due (in-process, or NOTIFY). */
export const DUE_CHANNEL = 'notification_due';
/** The channel on which a stored event wakes the worker nodes' event processors. */
export const EVENTS_CHANNEL = 'zalo_events';
/** The channel (NOTIFY from the triggers that queue deliveries) and in-process signal of the callback senders. */
export const CALLBACKS_CHANNEL = 'callback_deliveries';

/**
 * Wake-ups inside this app, by name: work added by this node (a planned message) wakes its own lanes at once,
 * without NOTIFY — every transaction that NOTIFYs takes one database-wide lock at commit, which serialised the
 * planning of messages (measured: most planning statements waiting on it at 400/s). One emitter per app
 * (src/app-caches.ts): two apps in one process (tests, two nodes) do not wake each other's lanes.
 */
function localSignals(): EventEmitter {
  const signals = new EventEmitter();
  signals.setMaxListeners(0);
  return signals;
}

export function signalLocally(app: Pick<AppContext, 'caches'>, name: string): void {
  app.caches.of(localSignals).emit(name);
}

/**
 * Wakes the lanes listening on `channel` on every node, after the work was committed: the NOTIFY's commit lock
 * is not on the path of the transaction that added the work, and at most one NOTIFY per channel per node is
 * sent every WAKE_GAP_MS (work added meanwhile is found by the same wake-up, or by the next one at the end of
 * the gap). A lost wake-up is caught by the lanes' poll.
 */
/** Per app: the channels whose NOTIFY is in flight (or in its gap), and whether work came meanwhile. */
function notifyingChannels(): Map<string, { again: boolean }> {
  return new Map();
}
/**
 * Under load a NOTIFY went out after every round trip, each a commit of its own (hundreds a second from one web
 * node taking webhooks), while the lanes it woke were still busy with the previous batch. A gap of 20 ms adds at
 * most that to a wake-up that follows another one closely, and takes those commits off PostgreSQL.
 */
const WAKE_GAP_MS = 20;
export function wakeOtherNodes(app: AppContext, channel: string): void {
  const notifying = app.caches.of(notifyingChannels);
  const inFlight = notifying.get(channel);
  if (inFlight) {
    inFlight.again = true;
    return;
  }
  const state = { again: false };
  notifying.set(channel, state);
  void sql`select pg_notify(${channel}, '')`
    .execute(app.db)
    .catch((err) => app.logger.warn({ err, channel }, 'could not wake the other nodes'))
    .finally(() =>
      setTimeout(() => {
        notifying.delete(channel);
        if (state.again) {
          wakeOtherNodes(app, channel);
        }
      }, WAKE_GAP_MS).unref(),
    );
}

/** Listens for this app's `signalLocally(app, name)`; returns the function that stops listening. */
export function onLocalSignal(
  app: Pick<AppContext, 'caches'>,
  name: string,
  listener: () => void,
): () => void {
  const signals = app.caches.of(localSignals);
  signals.on(name, listener);
  return () => {
    signals.off(name, listener);
  };
}

/** Call after a status change committed: this node's planners at once, other nodes' by a coalesced NOTIFY. */
export function wakeStatusChangePlanners(app: AppContext): void {
  signalLocally(app, STATUS_CHANGES_CHANNEL);
  wakeOtherNodes(app, STATUS_CHANGES_CHANNEL);
}

/** Call after messages were planned on this node: its dispatcher at once (other nodes find them by poll). */
export function wakeNotificationSenders(app: Pick<AppContext, 'caches'>): void {
  signalLocally(app, DUE_CHANNEL);
}

/** Wakes the event processors of every worker node, after the webhook was acknowledged. */
export function wakeEventProcessors(app: AppContext): void {
  wakeOtherNodes(app, EVENTS_CHANNEL);
}

/** Call after callback deliveries were queued: this node's senders at once, other nodes' by NOTIFY. */
export function wakeCallbackSenders(app: AppContext): void {
  signalLocally(app, CALLBACKS_CHANNEL);
  wakeOtherNodes(app, CALLBACKS_CHANNEL);
}

/**
 * In the caller's transaction: wakes every node's Zalo sender (src/zalo/send-lane.ts) once it commits, for
 * messages planned or made due again (for rare actions only: planning wakes its own node in-process).
 */
export async function notifyDue(db: Queryable): Promise<void> {
  await sql`select pg_notify(${DUE_CHANNEL}, '')`.execute(db);
}
