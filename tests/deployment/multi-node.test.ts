import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type AppContext, createAppContext } from '../../src/app-context.ts';
import { loadConfig, standaloneSandboxEnv } from '../../src/config.ts';
import { freePort } from '../../src/db/embedded.ts';
import { createLogger } from '../../src/logger.ts';
import { ensureDefaultBindings } from '../../src/notifications/bindings.ts';
import { createTestDatabase, type TestDatabase } from '../../src/test-support/database.ts';
import { buildAgency, buildApiKey, buildProcedure, intakeBody } from '../../src/test-support/factories.ts';
import { connectStandaloneSandbox } from '../../src/test-support/standalone-sandbox.ts';
import { spawnStandaloneSandbox, standaloneSandboxExit } from '../../src/zalo-sandbox/spawn-standalone.ts';
import {
  type Answer,
  AppNode,
  httpsClient,
  makeCertificate,
  Nginx,
  productionInstall,
  waitUntil,
} from './support.ts';

/**
 * The deployment of deploy/ without a container engine: nginx with the shipped deploy/nginx.conf (TLS
 * included), two web nodes and two worker nodes of a production installation (`npm ci --omit=dev`, the
 * compiled build, NODE_ENV=production) on one PostgreSQL database, the Zalo sandbox as its own process.
 * Everything is driven through nginx, as citizens, officers, integrations and Zalo reach the product.
 */
const SEND_CONCURRENCY = 4;
/** Debian's nginx and openssl; the test skips without them unless REQUIRE_E2E=1 (CI), where that fails. */
const MISSING = ['/usr/sbin/nginx', '/usr/bin/openssl'].filter((file) => !existsSync(file));
if (MISSING.length > 0 && process.env.REQUIRE_E2E === '1') {
  throw new Error(`REQUIRE_E2E=1 but ${MISSING.join(' and ')} missing: apt-get install nginx openssl`);
}
const LOOKUP_LIMIT = 20;
const INTAKES = 200;

describe('multi-node deployment behind nginx', {
  timeout: 600_000,
  skip: MISSING.length > 0 ? `needs ${MISSING.join(' and ')} (apt-get install nginx openssl)` : false,
}, () => {
  let dir: string;
  let db: TestDatabase;
  let app: AppContext;
  let nginx: Nginx | undefined;
  let sandbox: ChildProcess | undefined;
  let sandboxUrl: string;
  let webPorts: [number, number];
  let web: AppNode[] = [];
  let workers: AppNode[] = [];
  let request: ReturnType<typeof httpsClient>;
  /**
   * A client that opens a connection per request: a kept-alive connection that nginx's old workers close at a
   * reload can meet a request already on its way (the client then sees "socket hang up" and should retry), which
   * is the HTTP client's race, not the restart's.
   */
  let requestOnce: ReturnType<typeof httpsClient>;
  let authorization: string;
  let procedureCode: string;
  let agencyCode: string;
  const codes: string[] = [];

  const intake = (i: number, headers: Record<string, string> = {}, client = request) =>
    client('POST', '/api/v1/dossiers', {
      headers: { authorization, ...headers },
      body: {
        ...intakeBody(procedureCode),
        notifyByZalo: true,
        applicant: { ...intakeBody('x').applicant, phone: `09${String(20_000_000 + i).slice(-8)}` },
      },
    });
  const sandboxApi = async <T>(p: string): Promise<T> =>
    (await fetch(`${sandboxUrl}${p}`)).json() as Promise<T>;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'motcua-deploy-'));
    await chmod(dir, 0o755);
    const installing = productionInstall(dir);
    const { cert } = await makeCertificate(dir);
    db = await createTestDatabase({ poolMax: 4 });
    // Below Linux's ephemeral range (32768–60999): an outgoing connection cannot take a port between this
    // check and the listen of nginx or a node.
    const httpPort = await freePort(12000 + (process.pid % 1500) * 5);
    const httpsPort = await freePort(httpPort + 1);
    webPorts = [await freePort(httpsPort + 1), 0];
    webPorts[1] = await freePort(webPorts[0] + 1);
    const sandboxPort = await freePort(webPorts[1] + 1);
    const origin = `https://127.0.0.1:${httpsPort}`;
    sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    // Production refuses the sandbox's published keys: this installation's "Zalo" has keys of its own.
    const zalo = {
      appId: '2345678901234567890',
      appSecret: randomBytes(24).toString('base64url'),
      oaId: '5318510123456789012',
      oaSecretKey: randomBytes(24).toString('base64url'),
    };
    sandbox = spawnStandaloneSandbox({
      credentials: zalo,
      port: sandboxPort,
      // Zalo reaches the product's webhook through nginx, as on the real platform.
      webhookUrl: `${origin}/webhooks/zalo`,
      receiptDelayMs: 20,
      timeScale: 0.001,
      env: { NODE_EXTRA_CA_CERTS: cert },
    });
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      DB_POOL_MAX: '4',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PUBLIC_BASE_URL: origin,
      // One proxy (nginx) in front of the web nodes.
      TRUST_PROXY: '1',
      SESSION_SECRET: randomBytes(32).toString('hex'),
      LOOKUP_LINK_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      DEMO_DATA: '0',
      ...standaloneSandboxEnv(sandboxUrl, zalo),
      ZALO_SEND_RATE: '1000',
      ZALO_SEND_BURST: '1000',
      WORKER_CONCURRENCY: String(SEND_CONCURRENCY),
      ZALO_SEND_CONCURRENCY: String(SEND_CONCURRENCY),
      WORKER_DEAD_AFTER_SECONDS: '3',
      LOOKUP_PER_MINUTE_PER_IP: String(LOOKUP_LIMIT),
    };
    app = createAppContext(db.db, loadConfig(env, []), createLogger('silent'));
    const started = sandbox;
    await waitUntil(
      'the Zalo sandbox',
      () => {
        const ended = standaloneSandboxExit(started);
        if (ended) {
          throw new Error(ended);
        }
        return fetch(`${sandboxUrl}/sandbox/api/state`)
          .then((r) => r.ok)
          .catch(() => false);
      },
      // Its start compiles the sandbox through tsx, beside the production install and another test file.
      60_000,
    );
    await connectStandaloneSandbox(app, sandboxUrl);
    await ensureDefaultBindings(app.db);
    const agency = await buildAgency(app);
    agencyCode = agency.code;
    authorization = (await buildApiKey(app, agency.id)).authorization;
    procedureCode = (await buildProcedure(app, [agency.id])).code;

    await installing;
    nginx = await Nginx.start(dir, { http: httpPort, https: httpsPort, web: webPorts });
    request = httpsClient(path.join(dir, 'fullchain.pem'), origin);
    requestOnce = httpsClient(path.join(dir, 'fullchain.pem'), origin, { keepAlive: false });
    web = webPorts.map((port, i) => new AppNode(`web${i + 1}`, dir, 'web', { ...env, PORT: String(port) }));
    workers = [1, 2].map((i) => new AppNode(`worker${i}`, dir, 'worker', { ...env, PORT: '0' }));
    for (const node of [...web, ...workers]) {
      node.start();
    }
    await Promise.all([...web, ...workers].map((node) => node.ready()));
  });

  after(async () => {
    for (const node of [...web, ...workers]) {
      node.process?.kill('SIGKILL');
    }
    sandbox?.kill('SIGKILL');
    nginx?.stop();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('receives 200 dossiers over both web nodes: numbered without gap or duplicate', async () => {
    for (let i = 0; i < INTAKES; i += 10) {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, j) => intake(i + j)));
      for (const answer of answers) {
        assert.equal(answer.status, 201, answer.body);
        codes.push((JSON.parse(answer.body) as { code: string }).code);
      }
    }
    assert.equal(new Set(codes).size, INTAKES, 'no code twice');
    // <agency>-YYMMDD-NNNN, counted per Vietnam day: 1, 2, 3 … on each day (a run may cross midnight).
    const perDay = new Map<string, number[]>();
    for (const code of codes) {
      assert.ok(code.startsWith(`${agencyCode}-`), code);
      const day = code.slice(0, -5);
      perDay.set(day, [...(perDay.get(day) ?? []), Number(code.slice(-4))]);
    }
    for (const [day, numbers] of perDay) {
      const sorted = numbers.sort((a, b) => a - b);
      assert.deepEqual(
        sorted,
        Array.from({ length: sorted.length }, (_, k) => k + 1),
        `${day}: no gap`,
      );
    }
    const served = nginx!.upstreams('/api/v1/dossiers');
    for (const port of webPorts) {
      const count = served.filter((u) => u === `127.0.0.1:${port}`).length;
      assert.ok(count >= INTAKES / 4, `web node on ${port} received ${count} of the intakes`);
    }
    // The PDF forms render with the vendored fonts on a production installation.
    const receipt = await request('GET', `/api/v1/dossiers/${codes[0]}/receipt.pdf`, {
      headers: { authorization },
    });
    assert.equal(receipt.status, 200);
    assert.ok(receipt.body.startsWith('%PDF'));
  });

  it('sends each status change to Zalo while a worker is killed with SIGKILL and a web node restarts', async () => {
    let done = 0;
    const transition = async (code: string): Promise<void> => {
      for (let attempt = 0; attempt < 30; attempt++) {
        const answer = await request('POST', `/api/v1/dossiers/${code}/transitions`, {
          headers: { authorization },
          body: { to: 4 },
        });
        if (answer.status === 200) {
          return;
        }
        // A POST cut by the restart may have been applied: the dossier tells.
        const now = await request('GET', `/api/v1/dossiers/${code}`, { headers: { authorization } });
        if (now.status === 200 && (JSON.parse(now.body) as { status: number }).status === 4) {
          return;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.fail(`dossier ${code} could not be moved to status 4`);
    };
    const queue = [...codes];
    const changes = Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let code = queue.shift(); code; code = queue.shift()) {
          await transition(code);
          done++;
        }
      }),
    );
    await waitUntil('a third of the changes', async () => done >= INTAKES / 3, 60_000);
    await workers[0]!.kill();
    await waitUntil('two thirds of the changes', async () => done >= (2 * INTAKES) / 3, 60_000);
    assert.equal(await web[0]!.stop(), 0, 'the web node stopped cleanly');
    web[0]!.start();
    await web[0]!.ready();
    await changes;

    // An older message not yet sent when the next status came is superseded: the citizen reads the latest.
    await waitUntil(
      'every message sent or superseded',
      async () => {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from notification
          where state not in ('sent', 'delivered', 'superseded', 'failed', 'cancelled')`.execute(app.db);
        return rows[0]?.n === 0;
      },
      180_000,
    );
    const { rows: sent } = await sql<{ id: number }>`
      select id from notification where state in ('sent', 'delivered')`.execute(app.db);
    const messages = await sandboxApi<{ trackingId: string | null }[]>('/sandbox/api/messages');
    const perNotification = new Map<string, number>();
    for (const m of messages) {
      // tracking_id is `<installation id>-<notification id>`.
      const id = m.trackingId?.split('-').at(-1);
      if (id) {
        perNotification.set(id, (perNotification.get(id) ?? 0) + 1);
      }
    }
    const missing = sent.filter((n) => !perNotification.has(String(n.id)));
    assert.deepEqual(missing, [], 'every message recorded as sent reached Zalo');
    const { rows: latest } = await sql<{ state: string; n: number }>`
      select state, count(*)::int as n from (
        select distinct on (dossier_id) state from notification order by dossier_id, journal_seq desc
      ) last group by state`.execute(app.db);
    assert.deepEqual(
      latest.filter((r) => r.state !== 'sent' && r.state !== 'delivered'),
      [],
      'the latest status of every dossier reached Zalo',
    );
    const twice = [...perNotification.values()].filter((n) => n > 1).length;
    // Zalo has no idempotency key: a send that Zalo accepted in the instant before SIGKILL, before its outcome
    // was recorded, goes out again when its lease ends. Only sends in flight on the killed worker can.
    assert.ok(twice <= SEND_CONCURRENCY, `${twice} messages went twice`);
  });

  // TRUST_PROXY=1 means one proxy hop: the client is the right-most X-Forwarded-For address, nginx's own.
  it('holds the look-up limit per client address through nginx, whatever X-Forwarded-For says', async () => {
    // The limit counts per calendar minute: a burst split by the minute would count twice.
    if (Date.now() % 60_000 > 50_000) {
      await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000) + 200));
    }
    const lookup = (from: string, spoofed?: string) =>
      request('GET', `/api/public/lookup?code=${encodeURIComponent(codes[0]!)}`, {
        from,
        headers: spoofed ? { 'x-forwarded-for': spoofed } : {},
      });
    const answers: Answer[] = [];
    for (let i = 0; i < LOOKUP_LIMIT * 3; i++) {
      answers.push(await lookup('127.0.0.3', `203.0.113.${i + 1}`));
    }
    const allowed = answers.filter((a) => a.status === 200).length;
    const refused = answers.filter((a) => a.status === 429).length;
    const unexpected = answers.find((a) => a.status !== 200 && a.status !== 429);
    assert.equal(
      allowed + refused,
      answers.length,
      `${answers.map((a) => a.status).join(' ')}; first other answer (${codes[0]}): ${unexpected?.body}`,
    );
    // Each of the two web nodes counts the one real address: at most LOOKUP_LIMIT each.
    assert.ok(allowed <= LOOKUP_LIMIT * 2, `${allowed} look-ups allowed to one address`);
    assert.equal((await lookup('127.0.0.4')).status, 200, 'another address keeps its own allowance');
  });

  it('restarts the web nodes one after the other without failing a request', async () => {
    const failures: string[] = [];
    let sent = 0;
    let stopping = false;
    const traffic = Array.from({ length: 4 }, async (_, lane) => {
      for (let i = 0; !stopping; i++) {
        const created = await intake(
          10_000 + lane * 1000 + i,
          { 'idempotency-key': `rolling-${lane}-${i}`, connection: 'close' },
          requestOnce,
        );
        const code = created.status === 201 ? (JSON.parse(created.body) as { code: string }).code : '';
        const answers = [
          created,
          await requestOnce('GET', `/api/v1/dossiers/${code || codes[0]}`, {
            headers: { authorization, connection: 'close' },
          }),
          await requestOnce('GET', '/', { headers: { connection: 'close' } }),
        ];
        sent += answers.length;
        failures.push(...answers.filter((a) => a.status === 0 || a.status >= 400).map((a) => a.body));
      }
    });
    for (const [i, node] of web.entries()) {
      await nginx!.reload([i]);
      assert.equal(await node.stop(), 0, `${node.name} stopped cleanly`);
      node.start();
      await node.ready();
      await nginx!.reload([]);
      // Traffic flows through both nodes again before the next one stops: every lane has done a round.
      const before = sent;
      const deadline = Date.now() + 30_000;
      while (sent < before + 12) {
        assert.ok(Date.now() < deadline, `no traffic after restarting ${node.name}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    stopping = true;
    await Promise.all(traffic);
    assert.deepEqual(failures, []);
  });
});
