import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import type pg from 'pg';
import type { AppContext } from '../app-context.ts';

/** How often idle lanes look for work that came due (a retry time) or was left by a dead node, by default. */
const POLL_MS = 1000;

/**
 * Wake-ups inside this process, by name: work added by this node (a planned message) wakes its own lanes at
 * once, without NOTIFY — every transaction that NOTIFYs takes one database-wide lock at commit, which
 * serialised the planning of messages (measured: most planning statements waiting on it at 400/s).
 */
const localSignals = new EventEmitter();
localSignals.setMaxListeners(0);

export function signalLocally(name: string): void {
  localSignals.emit(name);
}

/**
 * Wakes the lanes listening on `channel` on every node, after the work was committed: the NOTIFY's commit lock
 * is not on the path of the transaction that added the work, and at most one NOTIFY per channel per node is
 * in flight (work added meanwhile is found by the same wake-up). A lost wake-up is caught by the lanes' poll.
 */
const notifying = new Map<string, { again: boolean }>();
export function wakeOtherNodes(app: AppContext, channel: string): void {
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
    .finally(() => {
      notifying.delete(channel);
      if (state.again) {
        wakeOtherNodes(app, channel);
      }
    });
}

export interface Lanes {
  stop(): Promise<void>;
}

/**
 * A few lanes that run `work` — one batch from a claimable table — again while it says there may be more. A
 * lane is woken by `signalLocally(name)` in this process, by NOTIFY on `channel` from other nodes (rare
 * actions such as an administrator's "retry now"), and by a poll for work that comes due later, was added by
 * another node, or was left by a dead node. A lane that finds a full batch wakes the next one: under a backlog
 * every lane works; when idle, one query per poll runs.
 */
export function startLanes(
  app: AppContext,
  pool: pg.Pool,
  o: {
    what: string;
    name: string;
    channel?: string;
    pollMs?: number;
    lanes: number;
    work: () => Promise<boolean>;
  },
): Lanes {
  const idle: (() => void)[] = [];
  let pending = false;
  let stopped = false;

  const kick = () => {
    pending = true;
    idle.shift()?.();
  };

  const lane = async () => {
    while (!stopped) {
      if (!pending) {
        await new Promise<void>((resolve) => idle.push(resolve));
        continue;
      }
      pending = false;
      try {
        while (!stopped) {
          const more = await o.work();
          if (!more) {
            break;
          }
          kick();
        }
      } catch (err) {
        app.logger.error({ err }, `${o.what} failed; retrying in a second`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    }
  };

  const listener = o.channel ? listen(app, pool, o.channel, kick) : undefined;
  localSignals.on(o.name, kick);
  const poll = setInterval(kick, o.pollMs ?? POLL_MS);
  poll.unref();
  const lanes = Array.from({ length: o.lanes }, lane);
  kick();
  return {
    async stop() {
      stopped = true;
      clearInterval(poll);
      for (const wake of idle.splice(0)) {
        wake();
      }
      localSignals.off(o.name, kick);
      await Promise.all(lanes);
      await listener?.stop();
    },
  };
}

/** LISTEN on a connection of its own, reconnecting after errors (the poll covers the gap). */
function listen(app: AppContext, pool: pg.Pool, channel: string, onNotify: () => void) {
  let current: { client: pg.PoolClient; drop: (err?: Error) => void } | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const reconnectLater = () => {
    if (!stopped && !retry) {
      retry = setTimeout(() => {
        retry = undefined;
        void connect();
      }, POLL_MS);
    }
  };
  const connect = async () => {
    let client: pg.PoolClient | undefined;
    let dropped = false;
    // A broken connection may report its error more than once: it goes back to the pool once.
    const drop = (err?: Error) => {
      if (dropped || !client) {
        return;
      }
      dropped = true;
      client.removeListener('notification', onNotify);
      if (current?.client === client) {
        current = undefined;
      }
      client.release(err);
    };
    try {
      client = await pool.connect();
      client.on('notification', onNotify);
      client.on('error', (err) => {
        app.logger.warn({ err, channel }, 'lost a LISTEN connection; polling meanwhile');
        drop(err);
        reconnectLater();
      });
      await client.query(`listen ${channel}`);
      if (dropped) {
        return;
      }
      current = { client, drop };
      if (stopped) {
        await release();
      }
    } catch (err) {
      app.logger.warn({ err, channel }, 'could not LISTEN; polling meanwhile');
      drop(err as Error);
      reconnectLater();
    }
  };
  const release = async () => {
    const held = current;
    current = undefined;
    if (held) {
      await held.client.query(`unlisten ${channel}`).catch(() => undefined);
      held.drop();
    }
  };
  void connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await release();
    },
  };
}
