import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { type AppContext, createAppContext } from '../../src/app-context.ts';
import { loadConfig } from '../../src/config.ts';
import { putExternalDossier } from '../../src/connector/external-dossier.ts';
import { createSubscription } from '../../src/connector/subscriptions.ts';
import { freePort } from '../../src/db/embedded.ts';
import { createLogger } from '../../src/logger.ts';
import { startCallbackReceiver } from '../../src/test-support/callback-receiver.ts';
import { createTestDatabase, type TestDatabase } from '../../src/test-support/database.ts';
import { buildAgency, buildApiKey, buildProcedure } from '../../src/test-support/factories.ts';

/**
 * A worker node killed (SIGKILL) in the middle of a callback delivery: the delivery's lease ends and another
 * node delivers it, then the rest of the dossier's events, in order. Nothing is lost; the receiver may see the
 * interrupted one twice (at least once).
 */
const ROOT = new URL('../..', import.meta.url).pathname;

describe('callback delivery across a node crash', () => {
  let db: TestDatabase;
  let app: AppContext;
  let env: Record<string, string>;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  const workers: ChildProcess[] = [];

  const startWorker = () => {
    const w = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role=worker'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    workers.push(w);
    return w;
  };
  const waitUntil = async (what: string, predicate: () => Promise<boolean> | boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await predicate())) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  before(async () => {
    db = await createTestDatabase();
    receiver = await startCallbackReceiver();
    env = {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      LOG_LEVEL: 'silent',
      DEMO_DATA: '0',
      PORT: String(await freePort(43000 + (process.pid % 5000))),
      CALLBACK_TIMEOUT_MS: '1000',
      WORKER_DEAD_AFTER_SECONDS: '3',
    };
    app = createAppContext(db.db, loadConfig(env, []), createLogger('silent'));
  });
  after(async () => {
    for (const w of workers) {
      w.kill('SIGKILL');
    }
    await receiver.close();
    await db.drop();
  });

  it('delivers the interrupted callback from another node, then the rest in order', async () => {
    const agency = await buildAgency(app, { deskMode: 'connected' });
    const key = await buildApiKey(app, agency.id);
    const procedureCode = (await buildProcedure(app, [agency.id])).code;
    await createSubscription(
      app,
      key.actor,
      { url: receiver.url, events: ['citizen.followed_dossier'] },
      null,
    );
    const { id: dossierId } = await putExternalDossier(app, key.actor, '000.00.99.H10-260309-0001', {
      procedureCode,
      receivedAt: new Date().toISOString(),
      applicant: { fullName: 'Võ Văn Em', phone: '0912000999' },
      notifyByZalo: false,
      channel: 'direct',
    });
    for (const uid of ['uid-a', 'uid-b', 'uid-c']) {
      await app.db
        .insertInto('dossier_follower')
        .values({ dossier_id: dossierId, zalo_user_id: uid })
        .execute();
    }

    receiver.set('hang');
    const first = startWorker();
    await waitUntil('the first node to call', () => receiver.calls.length >= 1, 60_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const interrupted = JSON.parse(receiver.calls[0]!.body).id as string;

    receiver.set('ok');
    startWorker();
    await waitUntil(
      'every delivery',
      async () =>
        (await app.db.selectFrom('callback_delivery').select('state').execute()).every(
          (d) => d.state === 'delivered',
        ),
      60_000,
    );
    const ids = receiver.calls.map((c) => JSON.parse(c.body).id as string);
    assert.equal(ids[0], interrupted);
    assert.equal(ids[1], interrupted, 'the interrupted delivery is made again, first');
    const distinct = [...new Set(ids)];
    assert.equal(distinct.length, 3);
    assert.deepEqual(
      distinct,
      [...distinct].sort((a, b) => Number(a) - Number(b)),
      'in order',
    );
    const rows = await app.db.selectFrom('callback_delivery').selectAll().orderBy('id').execute();
    assert.equal(rows[0]!.attempts, 2);
  });
});
