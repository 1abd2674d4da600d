import type { Config } from './config.ts';
import type { Database } from './db/pool.ts';
import type { Logger } from './logger.ts';

/** What every business action needs, passed explicitly. `clock` is injectable so tests control time. */
export interface AppContext {
  db: Database;
  config: Config;
  logger: Logger;
  clock: () => Date;
  /**
   * Where the jitter of retries comes from (src/jobs/backoff.ts): Math.random unless set. Tests set a constant
   * so that a retry time is known in advance instead of only bounded.
   */
  random?: () => number;
}
