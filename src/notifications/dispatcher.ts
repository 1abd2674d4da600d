import type pg from 'pg';
import type { AppContext } from '../app-context.ts';
import { claimDue, DUE_CHANNEL } from './claim.ts';
import { sendClaimed } from './send-notification.ts';

/** How often an idle node looks for messages whose retry time has come (or whose sender died). */
const POLL_MS = 1000;
const LANES = 4;

export interface Dispatcher {
  /** Makes an idle lane look for due messages now. */
  kick(): void;
  stop(): Promise<void>;
}

/**
 * Each worker node's Zalo sender. Messages are claimed from the notification table itself (the outbox,
 * written in the planning transaction) in batches, instead of one graphile-worker job each: a job costs two
 * round trips of its own and a per-message bucket update, which capped sends at a few dozen a second.
 *
 * `ZALO_SEND_CONCURRENCY` calls are in flight at most, split over a few lanes that each claim, send and record
 * one batch at a time, so that one slow call holds back only its own lane. A lane is woken by NOTIFY when a
 * planning transaction commits (no polling delay), and by a one-second poll for retries that come due. A lane
 * that claims a full batch wakes the next one: under a backlog every lane works, when idle one query runs.
 */
export function startDispatcher(app: AppContext, pool: pg.Pool): Dispatcher {
  const concurrency = app.config.zalo.sendConcurrency;
  const laneCount = Math.min(LANES, concurrency);
  const batch = Math.ceil(concurrency / laneCount);
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
        for (;;) {
          const claimed = await claimDue(app, { limit: batch });
          if (claimed.length >= batch) {
            kick();
          }
          if (claimed.length === 0) {
            break;
          }
          await sendClaimed(app, claimed);
          if (claimed.length < batch || stopped) {
            break;
          }
        }
      } catch (err) {
        app.logger.error({ err }, 'the Zalo dispatcher failed; retrying in a second');
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    }
  };

  const listener = listen(app, pool, DUE_CHANNEL, kick);
  const poll = setInterval(kick, POLL_MS);
  poll.unref();
  const lanes = Array.from({ length: laneCount }, lane);
  kick();
  return {
    kick,
    async stop() {
      stopped = true;
      clearInterval(poll);
      for (const wake of idle.splice(0)) {
        wake();
      }
      await Promise.all(lanes);
      await listener.stop();
    },
  };
}

/** LISTEN on a connection of its own, reconnecting after errors (the poll covers the gap). */
function listen(app: AppContext, pool: pg.Pool, channel: string, onNotify: () => void) {
  let client: pg.PoolClient | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    try {
      const c = await pool.connect();
      c.on('notification', onNotify);
      c.on('error', (err) => {
        app.logger.warn({ err }, 'lost the LISTEN connection of the Zalo dispatcher');
        c.release(err);
        client = undefined;
        if (!stopped) {
          retry = setTimeout(() => void connect(), POLL_MS);
        }
      });
      await c.query(`listen ${channel}`);
      client = c;
      if (stopped) {
        await release();
      }
    } catch (err) {
      app.logger.warn({ err }, 'could not LISTEN for due Zalo messages; polling meanwhile');
      if (!stopped) {
        retry = setTimeout(() => void connect(), POLL_MS);
      }
    }
  };
  const release = async () => {
    const c = client;
    client = undefined;
    if (c) {
      await c.query(`unlisten ${channel}`).catch(() => undefined);
      c.release();
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

/**
 * Sends everything that is due now, batch after batch, in the calling process (tests, and tools that run
 * without a worker node).
 */
export async function dispatchDue(app: AppContext): Promise<number> {
  let sent = 0;
  for (;;) {
    const claimed = await claimDue(app, { limit: app.config.zalo.sendConcurrency });
    if (claimed.length === 0) {
      return sent;
    }
    sent += claimed.length;
    await sendClaimed(app, claimed);
  }
}
