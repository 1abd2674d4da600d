import { type BatcherOptions, KeyedBatcher } from '../db/keyed-batcher.ts';
import type { Logger } from '../logger.ts';

/**
 * Concurrent public look-ups by code answered by one query (`where code = any($1)`, see KeyedBatcher): a
 * look-up costs PostgreSQL little next to the fixed cost of a statement.
 */
export class LookupBatcher<T extends { code: string }> {
  private readonly batcher: KeyedBatcher<string, string, T>;

  constructor(load: (codes: string[]) => Promise<T[]>, logger: Logger, options?: BatcherOptions) {
    this.batcher = new KeyedBatcher(
      async (batch) => new Map((await load([...batch.keys()])).map((row) => [row.code, row])),
      logger,
      options,
    );
  }

  /** The row for `code`, or undefined when there is none. */
  find(code: string): Promise<T | undefined> {
    return this.batcher.submit(code, code);
  }
}
