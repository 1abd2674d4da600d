import type { Logger } from '../logger.ts';

interface Waiter<T> {
  resolve: (found: T | undefined) => void;
  reject: (err: unknown) => void;
}

export interface LookupBatcherOptions {
  /** Queries running at once; requests arriving meanwhile wait and go together in the next one. */
  maxInFlight: number;
  /** Most codes in one query. */
  maxBatch: number;
}

/**
 * Coalesces concurrent look-ups by code into one query (`where code = any($1)`). A look-up costs PostgreSQL
 * little next to the fixed cost of a statement (round trip, parse, plan, executor start): 50 codes in one
 * query take about 2 ms where 50 queries take 30 ms of server time.
 *
 * No timer: a look-up waits for the current turn of the event loop (requests parsed in the same turn go
 * together), then for a free query slot. A lone look-up therefore costs no extra latency, and the batches
 * grow by themselves with the load while at most `maxInFlight` connections of the pool are used.
 *
 * A request never joins a query that has already started, so it sees every change committed before it
 * arrived, as it would with a query of its own.
 */
export class LookupBatcher<T extends { code: string }> {
  private waiting = new Map<string, Waiter<T>[]>();
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly load: (codes: string[]) => Promise<T[]>,
    private readonly logger: Logger,
    private readonly options: LookupBatcherOptions = { maxInFlight: 4, maxBatch: 100 },
  ) {}

  /** The row for `code`, or undefined when there is none. */
  find(code: string): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(code);
      if (waiters) {
        waiters.push({ resolve, reject });
      } else {
        this.waiting.set(code, [{ resolve, reject }]);
      }
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight || this.waiting.size === 0) {
      return;
    }
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.waiting.size > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = new Map<string, Waiter<T>[]>();
      for (const [code, waiters] of this.waiting) {
        if (batch.size >= this.options.maxBatch) {
          break;
        }
        batch.set(code, waiters);
        this.waiting.delete(code);
      }
      this.inFlight++;
      void this.answer(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  private async answer(batch: Map<string, Waiter<T>[]>): Promise<void> {
    let rows: T[];
    try {
      rows = await this.load([...batch.keys()]);
    } catch (err) {
      if (batch.size === 1 || !isAboutTheStatement(err)) {
        for (const waiters of batch.values()) {
          settle(waiters, err);
        }
        return;
      }
      // One bad request must not fail the others that happened to share its query: ask again code by code.
      this.logger.warn({ err, codes: batch.size }, 'batched look-up failed; retrying code by code');
      for (const [code, waiters] of batch) {
        await this.answer(new Map([[code, waiters]]));
      }
      return;
    }
    const byCode = new Map(rows.map((r) => [r.code, r]));
    for (const [code, waiters] of batch) {
      for (const w of waiters) {
        w.resolve(byCode.get(code));
      }
    }
  }
}

/**
 * Whether PostgreSQL refused this statement (bad input, say) rather than failed as a server: without a
 * connection, or out of connections or memory, every code would fail again and retries only add load.
 */
function isAboutTheStatement(err: unknown): boolean {
  const sqlState = (err as { code?: unknown } | null)?.code;
  return typeof sqlState === 'string' && /^[0-9A-Z]{5}$/.test(sqlState) && !/^(08|53|57|58)/.test(sqlState);
}

function settle<T>(waiters: Waiter<T>[], err: unknown): void {
  for (const w of waiters) {
    w.reject(err);
  }
}
