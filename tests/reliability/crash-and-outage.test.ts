import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type AppContext, createAppContext } from '../../src/app-context.ts';
import { loadConfig, standaloneSandboxEnv } from '../../src/config.ts';
import { freePort } from '../../src/db/embedded.ts';
import { receiveDossier } from '../../src/dossiers/receive-dossier.ts';
import { transitionDossier } from '../../src/dossiers/transition-dossier.ts';
import { buildServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/logger.ts';
import { ensureDefaultBindings } from '../../src/notifications/bindings.ts';
import { createTestDatabase, type TestDatabase } from '../../src/test-support/database.ts';
import { buildAgency, buildApiKey, buildProcedure, intakeBody } from '../../src/test-support/factories.ts';
import { connectStandaloneSandbox } from '../../src/test-support/standalone-sandbox.ts';
import { CLAIM_LEASE_MS } from '../../src/zalo/send-claim.ts';
import { spawnStandaloneSandbox } from '../../src/zalo-sandbox/spawn-standalone.ts';

/**
 * Reliability of the notification pipeline with real processes: the Zalo sandbox and the worker run as
 * separate processes; the worker is killed with SIGKILL mid-flight; Zalo goes down for a while.
 */
const ROOT = new URL('../..', import.meta.url).pathname;
const CONCURRENCY = 8;

describe('notification pipeline under crashes and outages', () => {
  let db: TestDatabase;
  let app: AppContext;
  let sandbox: ChildProcess;
  let sandboxUrl: string;
  let server: Awaited<ReturnType<typeof buildServer>>;
  let env: Record<string, string>;
  let worker: ChildProcess | undefined;
  let key: Awaited<ReturnType<typeof buildApiKey>>;
  let procedureCode: string;

  const startWorker = () => {
    worker = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role=worker'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    return new Date();
  };
  /**
   * Zalo messages that the worker started at `startedAt` holds right now: claimed by it (a lease that ends
   * later than any a worker before it can have taken) and not recorded yet — sends in flight.
   */
  const inFlightSince = async (startedAt: Date) =>
    (
      await sql<{ n: number }>`select count(*)::int as n from notification
        where state in ('queued', 'waiting')
          and claimed_until > ${new Date(startedAt.getTime() + CLAIM_LEASE_MS)}`.execute(app.db)
    ).rows[0]?.n ?? 0;
  const sandboxApi = async <T>(path: string, init?: RequestInit): Promise<T> =>
    (await fetch(`${sandboxUrl}${path}`, init)).json() as Promise<T>;
  const waitUntil = async (
    what: string,
    predicate: () => Promise<boolean>,
    timeoutMs: number,
    everyMs = 200,
  ) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await predicate())) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}`);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  };
  const states = async () =>
    (
      await sql<{
        state: string;
        n: number;
      }>`select state, count(*)::int as n from notification group by state`.execute(app.db)
    ).rows;

  before(async () => {
    db = await createTestDatabase();
    const sandboxPort = await freePort(41000 + (process.pid % 5000));
    const webPort = await freePort(sandboxPort + 1);
    sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    sandbox = spawnStandaloneSandbox({
      port: sandboxPort,
      webhookUrl: `http://127.0.0.1:${webPort}/webhooks/zalo`,
      receiptDelayMs: 20,
      timeScale: 0.001,
    });
    env = {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      LOG_LEVEL: 'silent',
      DEMO_DATA: '0',
      PORT: String(webPort),
      ...standaloneSandboxEnv(sandboxUrl),
      ZALO_SEND_RATE: '2000',
      ZALO_SEND_BURST: '2000',
      WORKER_CONCURRENCY: String(CONCURRENCY),
      ZALO_SEND_CONCURRENCY: String(CONCURRENCY),
      WORKER_DEAD_AFTER_SECONDS: '3',
    };
    app = createAppContext(db.db, loadConfig(env, []), createLogger('silent'));
    server = await buildServer(app);
    await server.listen({ port: webPort, host: '127.0.0.1' });
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`${sandboxUrl}/sandbox/api/state`)
          .then((r) => r.ok)
          .catch(() => false)
      ) {
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await connectStandaloneSandbox(app, sandboxUrl);
    await ensureDefaultBindings(app.db);
    const agency = await buildAgency(app);
    key = await buildApiKey(app, agency.id);
    procedureCode = (await buildProcedure(app, [agency.id])).code;
  });

  after(async () => {
    worker?.kill('SIGKILL');
    sandbox?.kill('SIGKILL');
    await server?.close();
    await db?.drop();
  });

  it('loses nothing when the worker is killed with SIGKILL three times while 2 000 messages are in flight', async () => {
    const count = 2000;
    for (let i = 0; i < count; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, (_, j) =>
          receiveDossier(app, key.actor, {
            ...intakeBody(procedureCode),
            notifyByZalo: true,
            channel: 'direct',
            applicant: { ...intakeBody('x').applicant, phone: `09${String(10_000_000 + i + j).slice(-8)}` },
          }),
        ),
      );
    }
    const kills = 3;
    let startedAt = startWorker();
    const caught: number[] = [];
    for (let k = 0; k < kills; k++) {
      // Kill it mid-flight: once it holds messages it has claimed and not recorded as sent.
      let inFlight = 0;
      await waitUntil(
        `messages in flight before kill ${k + 1}`,
        async () => {
          inFlight = await inFlightSince(startedAt);
          return inFlight > 0;
        },
        60_000,
        10,
      );
      caught.push(inFlight);
      const dead = worker!;
      const exited = new Promise((r) => dead.once('exit', r));
      dead.kill('SIGKILL');
      await exited;
      startedAt = startWorker();
    }
    assert.equal(caught.filter((n) => n > 0).length, kills, `in flight at each kill: ${caught.join(', ')}`);
    await waitUntil(
      'every notification sent',
      async () => {
        const s = await states();
        const done = s
          .filter((x) => x.state === 'sent' || x.state === 'delivered')
          .reduce((a, x) => a + x.n, 0);
        return done === count;
      },
      180_000,
    );
    const messages = await sandboxApi<{ trackingId: string | null }[]>('/sandbox/api/messages');
    const perNotification = new Map<string, number>();
    for (const m of messages) {
      if (m.trackingId) {
        perNotification.set(m.trackingId, (perNotification.get(m.trackingId) ?? 0) + 1);
      }
    }
    assert.equal(perNotification.size, count, 'every notification reached Zalo');
    const duplicates = [...perNotification.values()].reduce((a, n) => a + n - 1, 0);
    // A kill can interrupt at most the sends in flight (ZALO_SEND_CONCURRENCY) after Zalo accepted them and
    // before we recorded it: those are sent again when their claim's lease ends.
    assert.ok(duplicates <= kills * CONCURRENCY, `${duplicates} duplicates`);
  });

  it('sends everything, in order, after Zalo answers 500s and times out for a while', async () => {
    await sandboxApi('/sandbox/api/faults/zbs.message.template', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ http500: true, percent: 100 }),
    });
    const dossiers = [];
    for (let i = 0; i < 20; i++) {
      const { dossier } = await receiveDossier(app, key.actor, {
        ...intakeBody(procedureCode),
        notifyByZalo: true,
        channel: 'direct',
        applicant: { ...intakeBody('x').applicant, phone: `0977${String(100_000 + i)}` },
      });
      await transitionDossier(app, key.actor, dossier.code, { to: 4 });
      dossiers.push(dossier);
    }
    const ids = dossiers.map((d) => d.id);
    await waitUntil(
      'failed attempts during the outage',
      async () => {
        const r = await sql<{
          n: number;
        }>`select count(*)::int as n from notification_attempt a join notification n on n.id = a.notification_id where n.dossier_id = any(${ids}) and a.outcome = 'transient'`.execute(
          app.db,
        );
        return (r.rows[0]?.n ?? 0) >= 10;
      },
      60_000,
    );
    await sandboxApi('/sandbox/api/faults/zbs.message.template', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 12_000, remaining: 2 }),
    });
    await new Promise((r) => setTimeout(r, 1000));
    await sandboxApi('/sandbox/api/faults', { method: 'DELETE' });
    await waitUntil(
      'all sent after recovery',
      async () => {
        const r = await sql<{
          n: number;
        }>`select count(*)::int as n from notification where dossier_id = any(${ids}) and state not in ('sent', 'delivered', 'superseded')`.execute(
          app.db,
        );
        return r.rows[0]?.n === 0;
      },
      120_000,
    );
    const rows = await sql<{ dossier_id: number; journal_seq: number; state: string; sent_at: Date | null }>`
      select dossier_id, journal_seq, state, sent_at from notification where dossier_id = any(${ids}) order by dossier_id, journal_seq`.execute(
      app.db,
    );
    for (const id of ids) {
      const mine = rows.rows.filter((r) => r.dossier_id === id);
      const last = mine.at(-1)!;
      assert.ok(
        ['sent', 'delivered'].includes(last.state),
        `the latest status of dossier ${id} reached Zalo`,
      );
      const sent = mine.filter((r) => r.sent_at);
      for (let i = 1; i < sent.length; i++) {
        assert.ok(sent[i]!.sent_at! >= sent[i - 1]!.sent_at!, `dossier ${id}: messages in transition order`);
      }
    }
  });
});
