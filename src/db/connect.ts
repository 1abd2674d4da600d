import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { type EmbeddedServer, startEmbeddedPostgres } from './embedded.ts';
import { migrateToLatest } from './migrate.ts';
import { type DatabaseHandle, openDatabase } from './pool.ts';

export const EMBEDDED_DATABASE = 'motcua';

/**
 * Opens the product's database: DATABASE_URL, or the embedded PostgreSQL in DATA_DIR (started, or reused
 * when another process of ours runs it). Migrates to the latest schema.
 */
export async function connectDatabase(
  config: Config,
  logger: Logger,
  opts: { stopAdoptedServer: boolean },
): Promise<DatabaseHandle & { migrations: string[] }> {
  let embedded: EmbeddedServer | undefined;
  let url = config.db.url;
  if (!url) {
    logger.info({ dataDir: config.db.dataDir }, 'no DATABASE_URL: using the embedded PostgreSQL');
    embedded = await startEmbeddedPostgres({
      dataDir: config.db.dataDir,
      logger,
      stopAdopted: opts.stopAdoptedServer,
    });
    url = await embedded.database(EMBEDDED_DATABASE);
  }
  const handle = openDatabase(url, {
    max: config.db.poolMax,
    logger,
    preparedStatements: config.db.preparedStatements,
  });
  try {
    const migrations = await migrateToLatest(handle.db);
    return {
      ...handle,
      migrations,
      async close() {
        await handle.close();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await handle.close();
    await embedded?.stop();
    throw err;
  }
}
