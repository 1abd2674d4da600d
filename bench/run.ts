/**
 * `npm run bench`: performance goals of the product, measured against a real server on real PostgreSQL.
 * Writes bench/results/latest.json (and a dated copy) and prints a table. Goals are reported, never asserted.
 *
 *   npm run bench                      # 100 000 seeded dossiers
 *   npm run bench -- --dossiers 1000000
 */

import type { ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { ensureBuild } from '../scripts/build.js';
import { createApiKey } from '../src/auth/api-keys.ts';
import { seedBulkDossiers } from '../src/cli/seed-bulk.ts';
import { loadConfig } from '../src/config.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { openDatabase } from '../src/db/pool.ts';
import { DEMO_API_KEY } from '../src/demo/demo-catalogue.ts';
import { loadFormData } from '../src/forms/form-data.ts';
import { renderReceipt } from '../src/forms/receipt.ts';
import { measureIntakeScreen } from './browser.ts';
import { benchmarkConnector } from './connector.ts';
import { benchmarkLookup } from './lookup.ts';
import { type BenchResult, dropDatabase, freshDatabase, load, officerCookie, timeCalls } from './measure.ts';
import { benchmarkPipeline } from './pipeline.ts';
import { benchmarkPublicStats } from './public-stats.ts';
import { acceptDemoCredentials, benchContext, startWebAndHello } from './setup.ts';

ensureBuild();

const { values } = parseArgs({
  options: { dossiers: { type: 'string', default: '100000' }, duration: { type: 'string', default: '5' } },
});
const dossierCount = Number(values.dossiers);
const duration = Number(values.duration);
const results: BenchResult[] = [];
const children: ChildProcess[] = [];

const configured = loadConfig().db.url;
let adminUrl = configured;
let embeddedStop: (() => Promise<void>) | undefined;
let embeddedDir: string | undefined;
if (!adminUrl) {
  embeddedDir = await mkdtemp(path.join(tmpdir(), 'motcua-bench-pg-'));
  await chmod(embeddedDir, 0o755);
  const embedded = await startEmbeddedPostgres({ dataDir: embeddedDir, ephemeral: true });
  adminUrl = embedded.adminUrl;
  embeddedStop = embedded.stop;
}
const dbName = 'motcua_bench';
const benchUrl = await freshDatabase(adminUrl, dbName);

try {
  const handle = openDatabase(benchUrl, { max: 10 });
  await migrateToLatest(handle.db);
  const app = benchContext(
    handle.db,
    loadConfig({ DATABASE_URL: benchUrl, LOG_LEVEL: 'silent', NODE_ENV: 'test' }),
  );
  process.stdout.write(`Seeding ${dossierCount} dossiers…\n`);
  const seeded = await seedBulkDossiers(app, dossierCount);
  // A database that has served for years has its rows vacuumed, visible to all and analysed. Measured right
  // after a bulk load, every figure would also pay for the first visit of each row (hint-bit writes) and for
  // autovacuum working through the fresh tables on the same two cores.
  const vacuumStarted = Date.now();
  await sql`vacuum analyze`.execute(handle.db);
  results.push({
    name: 'seed:bulk',
    unit: 'dossiers/s',
    value: seeded.inserted / seeded.seconds,
    detail: {
      seconds: seeded.seconds,
      dossiers: seeded.inserted,
      vacuumSeconds: (Date.now() - vacuumStarted) / 1000,
    },
  });

  await acceptDemoCredentials(handle.db);
  const { base, helloUrl } = await startWebAndHello(benchUrl, 3100, children);
  const auth = { authorization: `Bearer ${DEMO_API_KEY}`, 'content-type': 'application/json' };

  process.stdout.write('Measuring…\n');
  const hello = await load({ url: helloUrl, duration });
  results.push({
    name: 'baseline: bare Fastify hello',
    unit: 'req/s',
    value: hello.requestsPerSecond,
    detail: hello,
  });

  // Intake: the worst case is one desk (its codes are numbered one after another), then the load spread
  // over every demo desk, as a provincial system with one key per desk would send it.
  const keys = [DEMO_API_KEY];
  for (const agency of await handle.db
    .selectFrom('agency')
    .select('id')
    .where('code', '<>', '000.00.01.H50')
    .execute()) {
    keys.push(
      (await createApiKey(app, { kind: 'system', name: 'bench' }, { agencyId: agency.id, name: 'bench' }))
        .key,
    );
  }
  let n = 0;
  const intakeLoad = (keyCount: number) =>
    load({
      url: `${base}/api/v1/dossiers`,
      duration,
      connections: 50,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const i = n++;
            return {
              ...req,
              headers: { ...auth, authorization: `Bearer ${keys[i % keyCount]}` },
              body: JSON.stringify({
                procedureCode: '1.004873',
                applicant: {
                  fullName: 'Nguyễn Văn Bench',
                  idNumber: String(440000000000 + i),
                  phone: '0912345678',
                },
                notifyByZalo: true,
              }),
            };
          },
        },
      ],
    });
  for (const [label, keyCount] of [
    ['one desk', 1],
    [`${keys.length} desks`, keys.length],
  ] as const) {
    const intake = await intakeLoad(keyCount);
    results.push({
      name: `intake via API, 50 concurrent, ${label}: p50`,
      unit: 'ms',
      value: intake.p50,
      detail: intake,
    });
    results.push({
      name: `intake via API, 50 concurrent, ${label}: p99`,
      unit: 'ms',
      value: intake.p99,
      goal: '≤ 100 ms',
      met: intake.p99 <= 100,
      detail: intake,
    });
    results.push({
      name: `intake via API, 50 concurrent, ${label}: throughput`,
      unit: 'req/s',
      value: intake.requestsPerSecond,
      detail: {
        ratioToHello: intake.requestsPerSecond / hello.requestsPerSecond,
        non2xx: intake.non2xx,
        errors: intake.errors,
      },
    });
  }

  // Each agency-day's counter must equal the number of dossiers numbered that day: no gaps, no duplicates.
  const integrity = await sql<{ duplicates: number; gaps: number }>`
    with numbered as (
      select agency_id, substr(code, length(code) - 10, 6) as yymmdd, count(*) as n from dossier group by 1, 2
    )
    select (select count(*) - count(distinct code) from dossier)::int as duplicates,
           (select count(*) from dossier_code_counter c
              left join numbered d on d.agency_id = c.agency_id and d.yymmdd = to_char(c.day, 'YYMMDD')
              where coalesce(d.n, 0) <> c.last)::int as gaps`.execute(handle.db);
  const { duplicates, gaps } = integrity.rows[0]!;
  results.push({
    name: 'duplicate dossier codes',
    unit: 'codes',
    value: duplicates,
    goal: '0',
    met: duplicates === 0,
    detail: { agencyDaysWithGaps: gaps },
  });

  // Dossiers of the demo key's desk (the provincial centre) that are still "received".
  const province = await handle.db
    .selectFrom('agency')
    .select('id')
    .where('code', '=', '000.00.01.H50')
    .executeTakeFirstOrThrow();
  const fresh = await handle.db
    .selectFrom('dossier')
    .select('code')
    .where('status', '=', 2)
    .where('agency_id', '=', province.id)
    .orderBy('id', 'desc')
    .limit(400)
    .execute();
  const transition = await timeCalls(fresh.length, 10, async (i) => {
    const res = await fetch(`${base}/api/v1/dossiers/${fresh[i]!.code}/transitions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ to: 4 }),
    });
    if (res.status !== 200) {
      throw new Error(`transition: ${res.status} ${await res.text()}`);
    }
  });
  results.push({
    name: 'transition 2→4 via API, 10 concurrent: p50',
    unit: 'ms',
    value: transition.p50,
    detail: transition,
  });

  const receiptDossier = await handle.db
    .selectFrom('dossier')
    .select(['code', 'agency_id'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const demoActor = { kind: 'api_key' as const, id: 1, name: 'bench', agencyId: receiptDossier.agency_id };
  const receiptCode = receiptDossier.code;
  const pdf = await timeCalls(100, 1, async () =>
    renderReceipt(await loadFormData(app, demoActor, receiptCode)),
  );
  results.push({
    name: 'receipt PDF (load + render): p50',
    unit: 'ms',
    value: pdf.p50,
    goal: '≤ 30 ms',
    met: pdf.p50 <= 30,
    detail: pdf,
  });

  const listQueries: [string, string][] = [
    ['newest page', ''],
    ['status filter', 'status=4'],
    ['overdue', 'overdue=true'],
    ['procedure + date range', 'procedureCode=1.004873&receivedFrom=2025-06-01&receivedTo=2025-12-31'],
    ['search by name', `q=${encodeURIComponent('Nguyễn Văn An')}`],
    ['search by phone', 'q=0912345678'],
    ['search by code fragment', 'q=260105'],
    ['deep page (page 200)', 'page=200'],
  ];
  const cookie = await officerCookie(base);
  for (const [label, query] of listQueries) {
    const stats = await timeCalls(30, 1, async () => {
      const res = await fetch(`${base}/api/dossiers?${query}`, { headers: { cookie } });
      if (res.status !== 200) {
        throw new Error(`${label}: ${res.status} ${await res.text()}`);
      }
      await res.arrayBuffer();
    });
    results.push({
      name: `dossier list, ${label}: p99`,
      unit: 'ms',
      value: stats.p99,
      goal: '≤ 200 ms',
      met: stats.p99 <= 200,
      detail: { ...stats, dossiers: dossierCount },
    });
  }
  results.push(...(await benchmarkLookup(handle.db, base, duration, helloUrl, dossierCount)));

  process.stdout.write('Measuring the public scoreboard (issue 22)…\n');
  results.push(...(await benchmarkPublicStats(app, base)));

  process.stdout.write('Measuring the notification pipeline…\n');
  results.push(...(await benchmarkPipeline(adminUrl, duration)));
  process.stdout.write('Measuring the connector for an external one-stop system…\n');
  results.push(...(await benchmarkConnector(adminUrl)));
  const browserFigures = await measureIntakeScreen(base, cookie);
  if (browserFigures) {
    results.push({
      name: 'intake screen interactive, cold cache',
      unit: 'ms',
      value: browserFigures.interactiveMs,
      goal: '≤ 1000 ms',
      met: browserFigures.interactiveMs <= 1000,
    });
    results.push({
      name: 'initial JS of the intake screen (gzip)',
      unit: 'kB',
      value: browserFigures.scriptKb,
      goal: '≤ 400 kB',
      met: browserFigures.scriptKb <= 400,
      detail: { scripts: browserFigures.scripts },
    });
  }
  await handle.close();
} finally {
  for (const child of children) {
    child.kill('SIGTERM');
  }
  await new Promise((r) => setTimeout(r, 500));
  await dropDatabase(adminUrl, dbName);
  await embeddedStop?.();
  if (embeddedDir) {
    await rm(embeddedDir, { recursive: true, force: true });
  }
}

const report = {
  at: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  },
  dossiers: dossierCount,
  results,
};
await mkdir('bench/results', { recursive: true });
await writeFile('bench/results/latest.json', `${JSON.stringify(report, null, 2)}\n`);
await writeFile(
  `bench/results/${report.at.replace(/[:.]/g, '-')}.json`,
  `${JSON.stringify(report, null, 2)}\n`,
);
const rows = results.map(
  (r) =>
    `| ${r.name} | ${format(r.value)} ${r.unit} | ${r.goal ?? ''} | ${r.met === undefined ? '' : r.met ? 'met' : 'MISSED'} |`,
);
process.stdout.write(
  `\n| measurement | value | goal | |\n|---|---|---|---|\n${rows.join('\n')}\n\nJSON: bench/results/latest.json\n`,
);
process.exit(0);

function format(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}
