import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';

/**
 * Work that comes round by the clock (the hourly maintenance, the health checks and their alert e-mails):
 * every node runs the scheduler — web-only nodes too, so that "no worker seen" is noticed by a node that is not
 * the missing worker — and each item runs once per period across all nodes. The node that first finds an item
 * due takes its run in one statement on `scheduled_task` (moving the next run a period on, and holding a lease
 * while it runs); the others find it not due. A node that dies mid-run leaves the item to the next period.
 */
export interface ScheduledItem {
  /** Its row in scheduled_task, and its name in logs. */
  name: string;
  /** The period, in milliseconds (it may come from the configuration). */
  everyMs: (app: AppContext) => number;
  run: (app: AppContext) => Promise<void>;
}

/** Declares a scheduled item (typed; nothing runs until startScheduler). */
export function defineScheduledItem(item: ScheduledItem): ScheduledItem {
  return item;
}

/** How often a node looks for due items, at most. */
const TICK_MS = 5_000;
/** A run that fails is tried again after this (or its period, when shorter), not a whole period later. */
const RETRY_FAILED_MS = 60_000;

/**
 * Takes this period's run of `item` when it is due and no other node is running it: true when this node took
 * it (and must run it). The lease is the period itself: a run longer than that overlaps the next period's,
 * which waits for it.
 */
export async function takeScheduledRun(app: AppContext, item: ScheduledItem): Promise<boolean> {
  const now = app.clock();
  const every = item.everyMs(app);
  const next = new Date(now.getTime() + every);
  const taken = await sql<{ name: string }>`
    insert into scheduled_task as s (name, next_run_at, claimed_until, last_started_at)
    values (${item.name}, ${next}, ${next}, ${now})
    on conflict (name) do update
      set next_run_at = excluded.next_run_at, claimed_until = excluded.claimed_until,
          last_started_at = excluded.last_started_at
      where s.next_run_at <= ${now} and (s.claimed_until is null or s.claimed_until <= ${now})
    returning s.name`.execute(app.db);
  return taken.rows.length > 0;
}

/** Runs `item` when this node takes its run (takeScheduledRun), and records how it ended. True when it ran. */
export async function runScheduledItem(app: AppContext, item: ScheduledItem): Promise<boolean> {
  if (!(await takeScheduledRun(app, item))) {
    return false;
  }
  let error: Error | undefined;
  try {
    await item.run(app);
  } catch (err) {
    error = err as Error;
  }
  const now = app.clock();
  await app.db
    .updateTable('scheduled_task')
    .set({
      claimed_until: null,
      last_finished_at: now,
      last_error: error ? error.message.slice(0, 500) : null,
      ...(error
        ? { next_run_at: new Date(now.getTime() + Math.min(item.everyMs(app), RETRY_FAILED_MS)) }
        : {}),
    })
    .where('name', '=', item.name)
    .execute();
  if (error) {
    throw error;
  }
  return true;
}

/** Runs, in this process, every item of `items` that is due now (tests; tools without the scheduler). */
export async function runDueScheduledItems(
  app: AppContext,
  items: readonly ScheduledItem[],
): Promise<string[]> {
  const ran: string[] = [];
  for (const item of items) {
    if (await runScheduledItem(app, item)) {
      ran.push(item.name);
    }
  }
  return ran;
}

export interface Scheduler {
  stop(): Promise<void>;
}

/** The scheduler of this node: looks for due items every few seconds, each item running at most once at a time. */
export function startScheduler(app: AppContext, items: readonly ScheduledItem[]): Scheduler {
  const running = new Map<string, Promise<void>>();
  const failures = new Map<string, number>();
  let stopped = false;
  const tick = () => {
    for (const item of items) {
      if (stopped || running.has(item.name)) {
        continue;
      }
      const run = runScheduledItem(app, item)
        .then(() => {
          failures.delete(item.name);
        })
        .catch((err) => {
          const n = (failures.get(item.name) ?? 0) + 1;
          failures.set(item.name, n);
          // Once, then every tenth time: PostgreSQL being down is said by the lanes already.
          if (n % 10 === 1) {
            app.logger.warn({ err, failures: n }, `scheduled ${item.name} failed`);
          }
        })
        .finally(() => running.delete(item.name));
      running.set(item.name, run);
    }
  };
  const shortest = Math.min(TICK_MS, ...items.map((i) => i.everyMs(app)));
  const timer = setInterval(tick, shortest);
  timer.unref();
  // A first look at start: an item that came due while every node was down runs at once.
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all(running.values());
    },
  };
}
