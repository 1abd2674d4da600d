import type { ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { createSubscription } from '../src/connector/subscriptions.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { openDatabase } from '../src/db/pool.ts';
import { DEMO_API_KEY } from '../src/demo/demo-catalogue.ts';
import { startCallbackReceiver } from '../src/test-support/callback-receiver.ts';
import { type BenchResult, dropDatabase, freshDatabase, percentile, waitFor } from './measure.ts';
import { startSandboxedProduct } from './setup.ts';

/**
 * The connector for an external one-stop system (src/connector), against a web node and a worker node and a
 * standalone Zalo sandbox answering in 20 ms:
 * - sync throughput: status events per second through POST /api/v1/sync (batches of 1000, 2 at a time);
 * - callback latency: a status event posted → its `notification.sent` callback received by a local
 *   receiver (planning, the Zalo send and the signed callback in between), p50 / p99 at 50 events/s.
 */
export async function benchmarkConnector(adminUrl: string): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const dbName = 'motcua_bench_connector';
  const url = await freshDatabase(adminUrl, dbName);
  const children: ChildProcess[] = [];
  const handle = openDatabase(url, { max: 10 });
  const receiver = await startCallbackReceiver();
  try {
    await migrateToLatest(handle.db);
    const { app, webPort, spawnNode } = await startSandboxedProduct(handle.db, url, 4400, children);
    const province = await app.db
      .selectFrom('agency')
      .select('id')
      .where('code', '=', '000.00.01.H50')
      .executeTakeFirstOrThrow();
    await app.db
      .updateTable('agency')
      .set({ desk_mode: 'connected' })
      .where('id', '=', province.id)
      .execute();
    children.push(spawnNode('web'));
    await waitFor(`http://127.0.0.1:${webPort}/healthz`);
    const base = `http://127.0.0.1:${webPort}`;
    const sync = async (items: object[]) => {
      const res = await fetch(`${base}/api/v1/sync`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEMO_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ items }),
      });
      const body = (await res.json()) as { results: { ok: boolean; error?: unknown }[] };
      const bad = body.results?.filter((r) => !r.ok) ?? [body];
      if (res.status !== 200 || bad.length > 0) {
        throw new Error(`sync: ${res.status} ${JSON.stringify(bad.slice(0, 3))}`);
      }
    };
    const code = (day: string, i: number) => `000.00.01.H50-${day}-${String(i).padStart(4, '0')}`;
    const dossier = (c: string, notifyByZalo: boolean, i: number) => ({
      type: 'dossier',
      code: c,
      procedureCode: '1.004873',
      receivedAt: new Date(Date.now() - 86_400_000).toISOString(),
      applicant: { fullName: 'Nguyễn Văn Bench', phone: `09${String(10_000_000 + i).slice(-8)}` },
      notifyByZalo,
    });

    // 1. Sync throughput (the web node alone): dossiers first, then their status events.
    const DOSSIERS = 2000;
    const EVENTS_PER_DOSSIER = 5;
    const dossierItems = Array.from({ length: DOSSIERS }, (_, i) => dossier(code('260101', i + 1), false, i));
    const dossiersStarted = Date.now();
    for (let i = 0; i < dossierItems.length; i += 2000) {
      await Promise.all([0, 1000].map((o) => sync(dossierItems.slice(i + o, i + o + 1000))));
    }
    const dossiersPerSecond = DOSSIERS / ((Date.now() - dossiersStarted) / 1000);
    const events: object[] = [];
    const t0 = Date.now() - 3_600_000;
    for (let e = 0; e < EVENTS_PER_DOSSIER; e++) {
      for (let i = 0; i < DOSSIERS; i++) {
        events.push({
          type: 'status',
          code: code('260101', i + 1),
          eventId: `bench-${i}-${e}`,
          status: [4, 5, 4, 9, 10][e],
          at: new Date(t0 + e * 60_000).toISOString(),
        });
      }
    }
    // In the order a catching-up system sends them: each batch of 1000 holds the next event of 1000 dossiers.
    const eventsStarted = Date.now();
    const batches: object[][] = [];
    for (let i = 0; i < events.length; i += 1000) {
      batches.push(events.slice(i, i + 1000));
    }
    for (let i = 0; i < batches.length; i += 2) {
      await Promise.all(batches.slice(i, i + 2).map(sync));
    }
    const eventsPerSecond = events.length / ((Date.now() - eventsStarted) / 1000);
    results.push({
      name: 'connector sync: dossiers via POST /api/v1/sync (batches of 1000)',
      unit: 'dossiers/s',
      value: dossiersPerSecond,
      detail: { dossiers: DOSSIERS },
    });
    results.push({
      name: 'connector sync: status events via POST /api/v1/sync (batches of 1000, 2 at a time)',
      unit: 'events/s',
      value: eventsPerSecond,
      goal: '≥ 2 000/s',
      met: eventsPerSecond >= 2000,
      detail: { events: events.length },
    });

    // 2. Callback latency: dossiers with Zalo opt-in, a subscription, then status events at 50/s.
    children.push(spawnNode('worker'));
    const LAT = 300;
    const latencyDossiers = Array.from({ length: LAT }, (_, i) => dossier(code('260102', i + 1), true, i));
    await sync(latencyDossiers);
    const settle = async (what: string, done: () => Promise<boolean>) => {
      const deadline = Date.now() + 300_000;
      while (!(await done())) {
        if (Date.now() > deadline) {
          throw new Error(`${what} did not settle`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    await settle('received messages', async () => {
      const r = await sql<{ n: number }>`
        select (select count(*) from notification where state in ('queued', 'waiting'))
             + (select count(*) from status_change where failed_at is null) as n`.execute(app.db);
      return Number(r.rows[0]?.n) === 0;
    });
    const key = await app.db
      .selectFrom('api_key')
      .select(['id'])
      .where('agency_id', '=', province.id)
      .executeTakeFirstOrThrow();
    await createSubscription(
      app,
      { kind: 'api_key', id: key.id, name: 'bench', agencyId: province.id },
      { url: receiver.url, events: ['notification.sent'] },
      null,
    );
    const postedAt = new Map<string, number>();
    const receivedAt = new Map<string, number>();
    const waiter = setInterval(() => {
      for (const c of receiver.calls.splice(0)) {
        const body = JSON.parse(c.body) as { dossierCode: string };
        if (!receivedAt.has(body.dossierCode)) {
          receivedAt.set(body.dossierCode, Date.now());
        }
      }
    }, 1);
    const started = Date.now();
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < LAT; i++) {
      const wait = started + i * 20 - Date.now();
      if (wait > 0) {
        await new Promise((r) => setTimeout(r, wait));
      }
      const c = code('260102', i + 1);
      postedAt.set(c, Date.now());
      pending.push(
        fetch(`${base}/api/v1/dossiers/${c}/status`, {
          method: 'POST',
          headers: { authorization: `Bearer ${DEMO_API_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ status: 4, at: new Date().toISOString(), eventId: `lat-${i}` }),
        }).then((r) => r.arrayBuffer()),
      );
    }
    await Promise.all(pending);
    await settle('callbacks', async () => receivedAt.size >= LAT);
    clearInterval(waiter);
    const ms = [...receivedAt.entries()].map(([c, at]) => at - postedAt.get(c)!).sort((a, b) => a - b);
    results.push({
      name: 'connector callback latency, status event in → notification.sent callback out: p50',
      unit: 'ms',
      value: percentile(ms, 50),
      detail: { events: ms.length, ratePerSecond: 50, zaloSendMs: 20 },
    });
    results.push({
      name: 'connector callback latency, status event in → notification.sent callback out: p99',
      unit: 'ms',
      value: percentile(ms, 99),
      detail: { events: ms.length, max: ms.at(-1) },
    });
  } finally {
    for (const child of children) {
      child.kill('SIGTERM');
    }
    await receiver.close();
    await handle.close();
    await new Promise((r) => setTimeout(r, 500));
    await dropDatabase(adminUrl, dbName);
  }
  return results;
}
