import { type AppCaches, createAppCaches } from './app-caches.ts';
import type { Config } from './config.ts';
import type { Database } from './db/pool.ts';
import type { Logger } from './logger.ts';

/** What every business action needs, passed explicitly. `clock` is injectable so tests control time. */
export interface AppContext {
  db: Database;
  config: Config;
  logger: Logger;
  clock: () => Date;
  /** Caches and throttles, created once per app (src/app-caches.ts); ages are measured on `clock`. */
  caches: AppCaches;
  /**
   * Where the jitter of retries comes from (src/jobs/backoff.ts): Math.random unless set. Tests set a constant
   * so that a retry time is known in advance instead of only bounded.
   */
  random?: () => number;
}

/**
 * The context a process creates once at start, on the wall clock unless `clock` is given, with caches of its
 * own.
 */
export function createAppContext(
  db: Database,
  config: Config,
  logger: Logger,
  clock: () => Date = () => new Date(),
): AppContext {
  return { db, config, logger, clock, caches: createAppCaches() };
}
