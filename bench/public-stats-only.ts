/**
 * `npx tsx bench/public-stats-only.ts --dossiers 1000000 [--keep]`: just issue 22's public figures (needs
 * DATABASE_URL). With `--keep` the seeded database is left in place and reused by the next run.
 */
import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createAppCaches } from '../src/app-caches.ts';
import { seedBulkDossiers } from '../src/cli/seed-bulk.ts';
import { loadConfig } from '../src/config.ts';
import { freePort } from '../src/db/embedded.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { openDatabase } from '../src/db/pool.ts';
import { databaseUrl } from '../src/db/server.ts';
import { createLogger } from '../src/logger.ts';
import { freshDatabase, spawnWebAndHello, waitFor } from './measure.ts';
import { benchmarkPublicStats } from './public-stats.ts';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'motcua_bench_stats' },
    dossiers: { type: 'string', default: '1000000' },
    keep: { type: 'boolean', default: false },
  },
});
const adminUrl = loadConfig().db.url;
if (!adminUrl) {
  throw new Error('Set DATABASE_URL to a PostgreSQL server');
}
const dossierCount = Number(values.dossiers);
const dbName = values.database;
if (!/^[a-z_][a-z0-9_]*$/.test(dbName)) {
  throw new Error('--database: lower-case letters, digits and underscores');
}
const dbUrl = databaseUrl(adminUrl, dbName);
let existing = 0;
if (values.keep) {
  try {
    const probe = openDatabase(dbUrl, { max: 1 });
    existing = Number(
      (await sql<{ n: string }>`select count(*) as n from dossier`.execute(probe.db)).rows[0]?.n ?? 0,
    );
    await probe.close();
  } catch {
    existing = 0;
  }
}
if (existing < dossierCount) {
  await freshDatabase(adminUrl, dbName);
}
const handle = openDatabase(dbUrl, { max: 10 });
const children: ChildProcess[] = [];
try {
  await migrateToLatest(handle.db);
  const config = loadConfig({ DATABASE_URL: dbUrl, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
  const app = {
    db: handle.db,
    config,
    logger: createLogger('silent'),
    clock: () => new Date(),
    caches: createAppCaches(),
  };
  if (existing < dossierCount) {
    process.stdout.write(`Seeding ${dossierCount} dossiers…\n`);
    await seedBulkDossiers(app, dossierCount);
    await sql`vacuum analyze`.execute(handle.db);
  }
  await sql`update api_key set is_demo = false`.execute(handle.db);
  await sql`update app_user set password_is_default = false`.execute(handle.db);
  const appPort = await freePort(3400);
  const helloPort = await freePort(appPort + 1);
  children.push(...spawnWebAndHello(dbUrl, appPort, helloPort));
  const base = `http://127.0.0.1:${appPort}`;
  await waitFor(`${base}/healthz`);
  const results = await benchmarkPublicStats(app, base);
  for (const r of results) {
    process.stdout.write(
      `${r.name.padEnd(66)} ${r.value.toFixed(1).padStart(9)} ${r.unit}${r.goal ? `  (goal ${r.goal}: ${r.met ? 'met' : 'NOT met'})` : ''}\n`,
    );
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
} finally {
  for (const c of children) {
    c.kill('SIGTERM');
  }
  await handle.close();
}
