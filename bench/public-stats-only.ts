/**
 * `npx tsx bench/public-stats-only.ts --dossiers 1000000 [--keep]`: just issue 22's public figures (needs
 * DATABASE_URL). With `--keep` the seeded database is left in place and reused by the next run.
 */
import { parseArgs } from 'node:util';
import { benchmarkPublicStats } from './public-stats.ts';
import { onSeededWeb } from './setup.ts';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'motcua_bench_stats' },
    dossiers: { type: 'string', default: '1000000' },
    keep: { type: 'boolean', default: false },
  },
});
await onSeededWeb(
  { database: values.database, dossiers: Number(values.dossiers), keep: values.keep, firstPort: 3400 },
  async ({ base, app }) => {
    const results = await benchmarkPublicStats(app, base);
    for (const r of results) {
      process.stdout.write(
        `${r.name.padEnd(66)} ${r.value.toFixed(1).padStart(9)} ${r.unit}${r.goal ? `  (goal ${r.goal}: ${r.met ? 'met' : 'NOT met'})` : ''}\n`,
      );
    }
    process.stdout.write(`${JSON.stringify(results)}\n`);
  },
);
