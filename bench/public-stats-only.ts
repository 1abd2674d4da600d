/**
 * `npx tsx bench/public-stats-only.ts --dossiers 1000000 [--keep]`: just issue 22's public figures (needs
 * DATABASE_URL). With `--keep` the seeded database is left in place and reused by the next run.
 */
import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { benchmarkPublicStats } from './public-stats.ts';
import { requireAdminUrl, seededDatabase, startWebAndHello } from './setup.ts';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'motcua_bench_stats' },
    dossiers: { type: 'string', default: '1000000' },
    keep: { type: 'boolean', default: false },
  },
});
const adminUrl = requireAdminUrl();
const { handle, dbUrl, app } = await seededDatabase(
  adminUrl,
  values.database,
  Number(values.dossiers),
  values.keep,
);
const children: ChildProcess[] = [];
try {
  const { base } = await startWebAndHello(dbUrl, 3400, children);
  const results = await benchmarkPublicStats(app, base);
  for (const r of results) {
    process.stdout.write(
      `${r.name.padEnd(66)} ${r.value.toFixed(1).padStart(9)} ${r.unit}${r.goal ? `  (goal ${r.goal}: ${r.met ? 'met' : 'NOT met'})` : ''}\n`,
    );
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
} finally {
  for (const c of children) {
    c.kill('SIGTERM');
  }
  await handle.close();
}
