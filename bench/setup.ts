/**
 * Set-up the bench entries share: the app context of the measuring process, a seeded database that `--keep`
 * can reuse, the product's web node with the hello baseline beside it, and a standalone Zalo sandbox with the
 * product's environment pointed at it.
 */
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { sql } from 'kysely';
import { type AppContext, createAppContext } from '../src/app-context.ts';
import { seedBulkDossiers } from '../src/cli/seed-bulk.ts';
import { type Config, loadConfig, standaloneSandboxEnv } from '../src/config.ts';
import { freePort } from '../src/db/embedded.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { type Database, type DatabaseHandle, openDatabase } from '../src/db/pool.ts';
import { databaseUrl } from '../src/db/server.ts';
import { loadDemoData } from '../src/demo/load-demo.ts';
import { createLogger } from '../src/logger.ts';
import { ensureDefaultBindings } from '../src/notifications/bindings.ts';
import { connectStandaloneSandbox } from '../src/test-support/standalone-sandbox.ts';
import { spawnStandaloneSandbox } from '../src/zalo-sandbox/spawn-standalone.ts';
import { dropDatabase, freshDatabase, spawnWebAndHello, waitFor } from './measure.ts';

const ROOT = new URL('..', import.meta.url).pathname;

/** The PostgreSQL server the entries that do not start their own measure against (DATABASE_URL). */
export function requireAdminUrl(): string {
  const url = loadConfig().db.url;
  if (!url) {
    throw new Error('Set DATABASE_URL to a PostgreSQL server');
  }
  return url;
}

/** The app context of the measuring process itself: silent, on the wall clock. */
export function benchContext(db: Database, config: Config): AppContext {
  return createAppContext(db, config, createLogger('silent'));
}

/**
 * Database `dbName` migrated and holding `dossierCount` seeded dossiers, vacuumed and analysed, with the demo
 * key and passwords accepted by a production-mode node. Seeding is the slow part: with `keep` a database that
 * already holds the dossiers is reused as it is.
 */
export async function seededDatabase(
  adminUrl: string,
  dbName: string,
  dossierCount: number,
  keep: boolean,
): Promise<{ handle: DatabaseHandle; dbUrl: string; app: AppContext }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(dbName)) {
    throw new Error('--database: lower-case letters, digits and underscores');
  }
  const dbUrl = databaseUrl(adminUrl, dbName);
  const existing = keep ? await countDossiers(dbUrl) : 0;
  if (existing < dossierCount) {
    await freshDatabase(adminUrl, dbName);
  }
  const handle = openDatabase(dbUrl, { max: 10 });
  try {
    await migrateToLatest(handle.db);
    const app = benchContext(
      handle.db,
      loadConfig({ DATABASE_URL: dbUrl, LOG_LEVEL: 'silent', NODE_ENV: 'test' }),
    );
    if (existing < dossierCount) {
      process.stdout.write(`Seeding ${dossierCount} dossiers…\n`);
      await seedBulkDossiers(app, dossierCount);
      await sql`vacuum analyze`.execute(handle.db);
    }
    await acceptDemoCredentials(handle.db);
    return { handle, dbUrl, app };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** Production mode refuses the demo key and default passwords: the bench uses them as if they were its own. */
export async function acceptDemoCredentials(db: Database): Promise<void> {
  await sql`update api_key set is_demo = false`.execute(db);
  await sql`update app_user set password_is_default = false`.execute(db);
}

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

/**
 * The web node in production mode and the hello server (bench/measure.ts `spawnWebAndHello`) on free ports
 * from `firstPort`, both answering; the children are added to `children` as soon as they are spawned.
 */
export async function startWebAndHello(
  dbUrl: string,
  firstPort: number,
  children: ChildProcess[],
): Promise<{ base: string; helloUrl: string }> {
  const appPort = await freePort(firstPort);
  const helloPort = await freePort(appPort + 1);
  children.push(...spawnWebAndHello(dbUrl, appPort, helloPort));
  const base = `http://127.0.0.1:${appPort}`;
  const helloUrl = `http://127.0.0.1:${helloPort}/`;
  await waitFor(`${base}/healthz`);
  await waitFor(helloUrl);
  return { base, helloUrl };
}

export interface SandboxedProduct {
  app: AppContext;
  /** The environment of the product's nodes: the sandbox as Zalo, sends limited only by the sandbox. */
  env: Record<string, string>;
  sandboxUrl: string;
  webPort: number;
  /** Sets the sandbox's fault on the template send API (`{}` clears it). */
  setFault: (fault: object) => Promise<Response>;
  /** A product node of `role` on `env` (with `extraEnv` over it), not yet waited for. */
  spawnNode: (
    role: string,
    options?: { extraEnv?: Record<string, string>; stdio?: StdioOptions },
  ) => ChildProcess;
}

/**
 * A standalone Zalo sandbox (receipts after 50 ms, template sends answering in 20 ms, quota without limit) on a
 * free port from `firstPort`, added to `children`, and the product's database `dbUrl` ready for it: the OA's
 * tokens from the sandbox, the demo data and the default template bindings. No product node is started.
 */
export async function startSandboxedProduct(
  db: Database,
  dbUrl: string,
  firstPort: number,
  children: ChildProcess[],
  extraEnv: Record<string, string> = {},
): Promise<SandboxedProduct> {
  const sandboxPort = await freePort(firstPort);
  const webPort = await freePort(sandboxPort + 1);
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  children.push(
    spawnStandaloneSandbox({
      port: sandboxPort,
      webhookUrl: `http://127.0.0.1:${webPort}/webhooks/zalo`,
      receiptDelayMs: 50,
    }),
  );
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: dbUrl,
    LOG_LEVEL: 'silent',
    DEMO_DATA: '0',
    PORT: String(webPort),
    ...standaloneSandboxEnv(sandboxUrl),
    ZALO_SEND_RATE: '5000',
    ZALO_SEND_BURST: '5000',
    ...extraEnv,
  };
  const app = benchContext(db, loadConfig(env, []));
  await waitFor(`${sandboxUrl}/sandbox/api/state`);
  await connectStandaloneSandbox(app, sandboxUrl);
  await loadDemoData(app);
  await ensureDefaultBindings(app.db);
  await fetch(`${sandboxUrl}/sandbox/api/quota`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ daily: 10_000_000, balanceVnd: 1e12 }),
  });
  const setFault = (fault: object) =>
    fetch(`${sandboxUrl}/sandbox/api/faults/zbs.message.template`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    });
  await setFault({ latencyMs: 20 });
  const spawnNode: SandboxedProduct['spawnNode'] = (role, options = {}) =>
    spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', `--role=${role}`], {
      cwd: ROOT,
      env: { ...process.env, ...env, ...options.extraEnv },
      stdio: options.stdio ?? 'ignore',
    });
  return { app, env, sandboxUrl, webPort, setFault, spawnNode };
}

/**
 * The frame of the `bench/*-only.ts` scripts: a database seeded with `dossiers` (reused with `keep` when it holds
 * them already), a web node and the hello baseline on free ports from `firstPort`; `measure` runs against them,
 * then the processes stop and the database is dropped unless `keep`.
 */
export async function onSeededWeb(
  o: { database: string; dossiers: number; keep: boolean; firstPort: number },
  measure: (w: { base: string; helloUrl: string; handle: DatabaseHandle; app: AppContext }) => Promise<void>,
): Promise<void> {
  const adminUrl = requireAdminUrl();
  const { handle, dbUrl, app } = await seededDatabase(adminUrl, o.database, o.dossiers, o.keep);
  const children: ChildProcess[] = [];
  try {
    const { base, helloUrl } = await startWebAndHello(dbUrl, o.firstPort, children);
    await measure({ base, helloUrl, handle, app });
  } finally {
    for (const child of children) {
      child.kill('SIGTERM');
    }
    await handle.close();
    if (!o.keep) {
      await new Promise((r) => setTimeout(r, 500));
      await dropDatabase(adminUrl, o.database);
    }
  }
}
