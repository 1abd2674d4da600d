/**
 * `npm test` after typecheck and lint: runs every *.test.ts under src/ and tests/ with node:test against
 * real PostgreSQL — DATABASE_URL when set, otherwise an embedded PostgreSQL started for this run.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { type EmbeddedServer, startEmbeddedPostgres } from '../src/db/embedded.ts';
import { dropTestDatabases } from '../src/test-support/database.ts';
import { ensureBuild } from './build.js';

async function testFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts') && !e.parentPath.includes('node_modules'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

// Some tests run the compiled server (dist/) and serve the officer app (web/dist): both current.
ensureBuild();

const filters = process.argv.slice(2);
const files = [
  ...(await testFiles('src')),
  ...(await testFiles('web/src')),
  ...(await testFiles('tests')),
].filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)));

let embedded: EmbeddedServer | undefined;
let embeddedDir: string | undefined;
let databaseUrl = loadConfig().db.url;
if (!databaseUrl) {
  embeddedDir = await mkdtemp(path.join(tmpdir(), 'motcua-test-pg-'));
  // The embedded server runs as the postgres user when we are root: it must be able to enter the folder.
  await chmod(embeddedDir, 0o755);
  embedded = await startEmbeddedPostgres({ dataDir: embeddedDir, ephemeral: true });
  databaseUrl = embedded.adminUrl;
  process.stdout.write(`Tests use an embedded PostgreSQL (${embeddedDir}).\n`);
}

/**
 * A test (or a suite without a timeout of its own) that runs longer than this fails instead of holding the run:
 * a hang becomes a failure that names it. Long scenarios (the multi-node deployment) set their own timeout.
 * `--test-force-exit` ends a file's process once its tests and hooks are done, so that a handle the hung
 * test left open (a timer, a socket) cannot hold the run either.
 */
const TEST_TIMEOUT_MS = Number(process.env.TEST_TIMEOUT_MS ?? 300_000);

const code = await new Promise<number>((resolve) => {
  const args = [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    `--test-timeout=${TEST_TIMEOUT_MS}`,
    '--test-force-exit',
  ];
  const child = spawn(process.execPath, [...args, ...files], {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test' },
  });
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
});

await dropTestDatabases(databaseUrl).catch(() => undefined);
if (embedded) {
  await embedded.stop();
}
if (embeddedDir) {
  await rm(embeddedDir, { recursive: true, force: true });
}
process.exit(code);
