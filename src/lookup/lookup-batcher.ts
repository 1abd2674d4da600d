import { type BatcherOptions, KeyedBatcher } from '../db/keyed-batcher.ts';
import type { Logger } from '../logger.ts';

/**
 * Concurrent public look-ups by code answered by one query (`where code = any($1)`, see KeyedBatcher): a
 * look-up costs PostgreSQL little next to the fixed cost of a statement. `load` is also told which codes want
 * the full record (`full`): a code asked twice in one batch gets what its first asker wanted.
 */
export class LookupBatcher<T extends { code: string }> {
  private readonly batcher: KeyedBatcher<string, boolean, T>;

  constructor(
    load: (codes: string[], full: string[]) => Promise<T[]>,
    logger: Logger,
    options?: BatcherOptions,
  ) {
    this.batcher = new KeyedBatcher(
      async (batch) => {
        const full = [...batch].filter(([, wanted]) => wanted).map(([code]) => code);
        return new Map((await load([...batch.keys()], full)).map((row) => [row.code, row]));
      },
      logger,
      options,
    );
  }

  /** The row for `code`, or undefined when there is none. */
  find(code: string, full = false): Promise<T | undefined> {
    return this.batcher.submit(code, full);
  }
}
