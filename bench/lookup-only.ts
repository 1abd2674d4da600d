/**
 * `npx tsx bench/lookup-only.ts --database motcua_bench_lookup --dossiers 200000 [--keep]`: just the public
 * look-up figures and their hello baseline (needs DATABASE_URL). Seeding is the slow part, so with `--keep`
 * the database is left in place and reused by the next run when it already holds the dossiers.
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
import { benchmarkLookup } from './lookup.ts';
import { dropDatabase, freshDatabase, spawnWebAndHello, waitFor } from './measure.ts';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'motcua_bench_lookup' },
    dossiers: { type: 'string', default: '200000' },
    duration: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
  },
});
const adminUrl = loadConfig().db.url;
if (!adminUrl) {
  throw new Error('Set DATABASE_URL to a PostgreSQL server');
}
const dossierCount = Number(values.dossiers);
const duration = Number(values.duration);
const dbName = values.database;
if (!/^[a-z_][a-z0-9_]*$/.test(dbName)) {
  throw new Error('--database: lower-case letters, digits and underscores');
}

const dbUrl = databaseUrl(adminUrl, dbName);
const existing = values.keep ? await countDossiers(dbUrl) : 0;
if (existing < dossierCount) {
  await freshDatabase(adminUrl, dbName);
}
const handle = openDatabase(dbUrl, { max: 10 });
const children: ChildProcess[] = [];
try {
  await migrateToLatest(handle.db);
  if (existing < dossierCount) {
    const config = loadConfig({ DATABASE_URL: dbUrl, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
    const app = {
      db: handle.db,
      config,
      logger: createLogger('silent'),
      clock: () => new Date(),
      caches: createAppCaches(),
    };
    process.stdout.write(`Seeding ${dossierCount} dossiers…\n`);
    await seedBulkDossiers(app, dossierCount);
    await sql`vacuum analyze`.execute(handle.db);
  }
  await sql`update api_key set is_demo = false`.execute(handle.db);
  await sql`update app_user set password_is_default = false`.execute(handle.db);

  const appPort = await freePort(3300);
  const helloPort = await freePort(appPort + 1);
  children.push(...spawnWebAndHello(dbUrl, appPort, helloPort));
  const base = `http://127.0.0.1:${appPort}`;
  await waitFor(`${base}/healthz`);
  await waitFor(`http://127.0.0.1:${helloPort}/`);
  for (const r of await benchmarkLookup(
    handle.db,
    base,
    duration,
    `http://127.0.0.1:${helloPort}/`,
    dossierCount,
  )) {
    const detail = r.detail as
      | {
          ratioToHello?: number;
          helloPerSecond?: number;
          rounds?: { ratio: number }[];
          non2xx?: number;
          codesSampled?: number;
          codesRepeated?: number;
        }
      | undefined;
    const ratio =
      detail?.ratioToHello === undefined
        ? ''
        : ` (${detail.ratioToHello.toFixed(2)} × hello at ${detail.helloPerSecond?.toFixed(0)} req/s; slices ${detail.rounds?.map((x) => x.ratio.toFixed(2)).join(', ')})`;
    process.stdout.write(
      `${r.name}: ${r.value.toFixed(1)} ${r.unit}${ratio}${r.goal ? ` (goal ${r.goal}: ${r.met ? 'met' : 'MISSED'})` : ''}` +
        ` non2xx=${detail?.non2xx ?? 0} codes sampled=${detail?.codesSampled} repeated=${detail?.codesRepeated}\n`,
    );
  }
} finally {
  for (const child of children) {
    child.kill('SIGTERM');
  }
  await handle.close();
  if (!values.keep) {
    await new Promise((r) => setTimeout(r, 500));
    await dropDatabase(adminUrl, dbName);
  }
}
process.exit(0);

async function countDossiers(url: string): Promise<number> {
  const probe = openDatabase(url, { max: 1 });
  try {
    const row = await sql<{ n: number }>`select count(*)::int as n from dossier`.execute(probe.db);
    return row.rows[0]?.n ?? 0;
  } catch {
    // No such database or no schema yet: seed it.
    return 0;
  } finally {
    await probe.close();
  }
}
