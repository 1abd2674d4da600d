import { type RawBuilder, sql } from 'kysely';
import type pg from 'pg';
import type { AppContext } from '../app-context.ts';
import { type Backoff, backoffMs, CLAIMED_WORK_BACKOFF, LANE_FAILURE_BACKOFF, retryAt } from './backoff.ts';
import { onLocalSignal } from './wake.ts';

/** How often idle lanes look for work that came due (a retry time) or was left by a dead node, by default. */
const POLL_MS = 1000;

/** Whether the n-th failure in a row is worth a log line: the 1st, 2nd, 4th, 8th … (when the wait doubles). */
function worthSaying(failures: number): boolean {
  return (failures & (failures - 1)) === 0;
}

/**
 * Claims up to `limit` due rows of an outbox table (one with `claimed_until` and `attempts` columns), oldest
 * key first, skipping rows other nodes hold: each gets a lease of `leaseMs` — so a node that dies leaves it to
 * another one when the lease ends — and one more attempt counted.
 */
export async function claimBatch<T>(
  app: AppContext,
  o: {
    table: 'status_change' | 'zalo_event' | 'job';
    key: string;
    due: RawBuilder<unknown>;
    /** Oldest key first unless said. */
    order?: RawBuilder<unknown>;
    leaseMs: number;
    limit: number;
  },
): Promise<T[]> {
  const now = app.clock();
  const claimed = await sql<T>`
    update ${sql.table(o.table)} t set claimed_until = ${new Date(now.getTime() + o.leaseMs)}, attempts = t.attempts + 1
    from (
      select ${sql.ref(o.key)} from ${sql.table(o.table)}
      where ${o.due} and (claimed_until is null or claimed_until < ${now})
      order by ${o.order ?? sql.ref(o.key)} limit ${o.limit}
      for update skip locked
    ) due
    where ${sql.ref(`t.${o.key}`)} = ${sql.ref(`due.${o.key}`)}
    returning t.*`.execute(app.db);
  return claimed.rows;
}

/**
 * The rows a statement for the whole claimed batch took care of, or none when it failed: the caller then works
 * every row on its own (workClaimed), so that one bad row fails only itself, with its own retries.
 */
export function handledTogether(
  app: AppContext,
  what: string,
  batch: Promise<Set<number>>,
): Promise<Set<number>> {
  return batch.catch((err: Error) => {
    app.logger.warn({ err }, `${what} together failed; one by one instead`);
    return new Set<number>();
  });
}

/**
 * Works rows claimed from an outbox table (with an `attempts` count) in parallel. A row whose work throws is
 * logged and handed to `failed` with when to try it again — by `backoff`, CLAIMED_WORK_BACKOFF unless said:
 * 2 s, 4 s, 8 s … after its 1st, 2nd, 3rd attempt, at most an hour — and whether it is given up (after
 * `maxAttempts`, which may depend on the error). Returns the rows whose work succeeded.
 */
export async function workClaimed<T extends { attempts: number }>(
  app: AppContext,
  rows: T[],
  o: {
    what: string;
    /** What the log line names the row by (never the whole row: events hold citizens' messages). */
    idOf: (row: T) => number;
    maxAttempts: number | ((err: Error, row: T) => number);
    backoff?: Backoff;
    work: (row: T) => Promise<unknown>;
    failed: (row: T, err: Error, next: { retryAt: Date; givenUp: boolean }) => Promise<void>;
  },
): Promise<T[]> {
  const done: T[] = [];
  await Promise.all(
    rows.map(async (row) => {
      try {
        await o.work(row);
        done.push(row);
      } catch (err) {
        app.logger.error({ err, id: o.idOf(row), attempts: row.attempts }, `${o.what} failed`);
        const max = typeof o.maxAttempts === 'number' ? o.maxAttempts : o.maxAttempts(err as Error, row);
        await o.failed(row, err as Error, {
          retryAt: retryAt(app, o.backoff ?? CLAIMED_WORK_BACKOFF, row.attempts),
          givenUp: row.attempts >= max,
        });
      }
    }),
  );
  return done;
}

export interface Lanes {
  stop(): Promise<void>;
}

/**
 * One kind of background work, run by lanes: `work` takes one batch from a claimable table (an outbox: rows
 * written in the same transaction as the change that called for them, with a lease and an attempt count, see
 * claimBatch and workClaimed) and says whether there may be more at once. Every kind of background work is
 * one of these (src/app-background.ts lists them); tests and tools run the same definition with drainOutboxLane.
 */
export interface OutboxLane {
  /** What log lines call it. */
  what: string;
  /** The in-process signal that wakes it (signalLocally). */
  name: string;
  /** The NOTIFY channel that wakes it from other nodes, if any. */
  channel?: string;
  /** How often idle lanes look for work that came due or was left by a dead node (1 s unless said). */
  pollMs?: number;
  /** The wait after failed batches in a row (LANE_FAILURE_BACKOFF unless said). */
  failureBackoff?: Backoff;
  /** How many lanes run it on a worker node. */
  lanes: number | ((app: AppContext) => number);
  /** One batch: true when there may be more at once. */
  work: (app: AppContext) => Promise<boolean>;
}

/** Declares a kind of background work (typed; nothing runs until startOutboxLane). */
export function defineOutboxLane(lane: OutboxLane): OutboxLane {
  return lane;
}

/** Runs a lane's work in the calling process until it says there is no more (tests, tools without a worker). */
export async function drainOutboxLane(app: AppContext, lane: OutboxLane): Promise<void> {
  while (await lane.work(app)) {}
}

/**
 * A few lanes that run `work` — one batch from a claimable table — again while it says there may be more. A
 * lane is woken by `signalLocally(app, name)` in this app, by NOTIFY on `channel` from other nodes (rare
 * actions such as an administrator's "retry now"), and by a poll for work that comes due later, was added by
 * another node, or was left by a dead node. A lane that finds a full batch wakes the next one: under a backlog
 * every lane works; when idle, one query per poll runs.
 */
export function startOutboxLane(app: AppContext, pool: pg.Pool, o: OutboxLane): Lanes {
  const count = typeof o.lanes === 'number' ? o.lanes : o.lanes(app);
  const idle: (() => void)[] = [];
  let pending = false;
  let stopped = false;
  /** Failed tries in a row, across the lanes. */
  let failures = 0;

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
          const more = await o.work(app);
          if (failures > 0) {
            app.logger.info({ failures }, `${o.what} works again`);
            failures = 0;
          }
          if (!more) {
            break;
          }
          kick();
        }
      } catch (err) {
        // While PostgreSQL is down every try fails the same way: wait longer each time (1 s, 2 s, 4 s … 10 s)
        // and say so when the wait doubles, not five times a second for the whole outage.
        failures++;
        const waitMs = backoffMs(o.failureBackoff ?? LANE_FAILURE_BACKOFF, failures);
        if (worthSaying(failures)) {
          app.logger.error({ err, failures }, `${o.what} failed; retrying in ${waitMs / 1000} s`);
        }
        await new Promise((r) => setTimeout(r, waitMs));
        // Try again then, whether or not anything woke the lanes meanwhile.
        pending = true;
      }
    }
  };

  const listener = o.channel ? listen(app, pool, o.channel, kick) : undefined;
  const stopListening = onLocalSignal(app, o.name, kick);
  const poll = setInterval(kick, o.pollMs ?? POLL_MS);
  poll.unref();
  const lanes = Array.from({ length: count }, lane);
  kick();
  return {
    async stop() {
      stopped = true;
      clearInterval(poll);
      for (const wake of idle.splice(0)) {
        wake();
      }
      stopListening();
      await Promise.all(lanes);
      await listener?.stop();
    },
  };
}

/**
 * The LISTEN connection of each pool, shared by every lane set of the app that listens on it; per app
 * (src/app-caches.ts), like the in-process signals.
 */
function poolListeners(): WeakMap<pg.Pool, SharedListener> {
  return new WeakMap();
}

function listen(app: AppContext, pool: pg.Pool, channel: string, onNotify: () => void) {
  const listeners = app.caches.of(poolListeners);
  let listener = listeners.get(pool);
  if (!listener) {
    listener = new SharedListener(app, pool);
    listeners.set(pool, listener);
  }
  const shared = listener;
  shared.add(channel, onNotify);
  return { stop: () => shared.remove(channel, onNotify) };
}

/**
 * One connection that LISTENs on every channel the app's lanes need, instead of one connection per lane
 * set held out of a small pool. It reconnects after errors and listens again on every channel (the lanes' poll
 * covers the gap). Changes are applied one at a time, so a channel added while connecting is not missed.
 */
class SharedListener {
  private readonly handlers = new Map<string, Set<() => void>>();
  private current: { client: pg.PoolClient; drop: (err?: Error) => void } | undefined;
  private chain: Promise<void> = Promise.resolve();
  private retry: NodeJS.Timeout | undefined;
  /** Failed connections in a row: the next try waits longer. */
  private connectFailures = 0;

  constructor(
    private readonly app: AppContext,
    private readonly pool: pg.Pool,
  ) {}

  add(channel: string, onNotify: () => void): void {
    const existing = this.handlers.get(channel);
    if (existing) {
      existing.add(onNotify);
      return;
    }
    this.handlers.set(channel, new Set([onNotify]));
    void this.serially(() => (this.current ? this.run(`listen ${channel}`) : this.connect()));
  }

  remove(channel: string, onNotify: () => void): Promise<void> {
    const handlers = this.handlers.get(channel);
    handlers?.delete(onNotify);
    if (handlers?.size === 0) {
      this.handlers.delete(channel);
      return this.serially(async () => {
        if (this.handlers.size === 0) {
          clearTimeout(this.retry);
          this.retry = undefined;
          await this.release();
        } else if (this.current) {
          await this.run(`unlisten ${channel}`);
        }
      });
    }
    return this.chain;
  }

  private serially(op: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(op);
    return this.chain;
  }

  private async run(statement: string): Promise<void> {
    try {
      await this.current?.client.query(statement);
    } catch (err) {
      this.lost(err as Error);
    }
  }

  private async connect(): Promise<void> {
    if (this.current || this.handlers.size === 0) {
      return;
    }
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
      this.connectFailures = 0;
    } catch (err) {
      this.connectFailures++;
      if (worthSaying(this.connectFailures)) {
        this.app.logger.warn({ err, failures: this.connectFailures }, 'could not LISTEN; polling meanwhile');
      }
      this.reconnectLater();
      return;
    }
    let dropped = false;
    // A broken connection may report its error more than once: it is given up once. It is never handed back
    // to the pool for reuse, so the handlers below die with it.
    const drop = (err?: Error) => {
      if (dropped) {
        return;
      }
      dropped = true;
      if (this.current?.client === client) {
        this.current = undefined;
      }
      client.release(err ?? true);
    };
    client.on('notification', (msg) => {
      for (const notify of this.handlers.get(msg.channel) ?? []) {
        notify();
      }
    });
    client.on('error', (err) => {
      if (!dropped) {
        this.lost(err);
      }
      drop(err);
    });
    this.current = { client, drop };
    await this.run([...this.handlers.keys()].map((c) => `listen ${c}`).join('; '));
  }

  private lost(err: Error): void {
    this.app.logger.warn({ err }, 'lost the LISTEN connection; polling meanwhile');
    this.current?.drop(err);
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.retry || this.handlers.size === 0) {
      return;
    }
    this.retry = setTimeout(
      () => {
        this.retry = undefined;
        void this.serially(() => this.connect());
      },
      backoffMs(LANE_FAILURE_BACKOFF, Math.max(1, this.connectFailures)),
    );
    this.retry.unref();
  }

  private async release(): Promise<void> {
    const held = this.current;
    if (held) {
      await held.client.query('unlisten *').catch(() => undefined);
      held.drop();
    }
  }
}
