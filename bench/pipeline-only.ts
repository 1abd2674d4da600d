/** `npx tsx bench/pipeline-only.ts`: just the notification pipeline figures (needs DATABASE_URL). */
import { loadConfig } from '../src/config.ts';
import { benchmarkPipeline } from './pipeline.ts';

const url = loadConfig().db.url;
if (!url) {
  throw new Error('Set DATABASE_URL to a PostgreSQL server');
}
for (const r of await benchmarkPipeline(url, 5)) {
  process.stdout.write(
    `${r.name}: ${r.value.toFixed(1)} ${r.unit}${r.goal ? ` (goal ${r.goal}: ${r.met ? 'met' : 'MISSED'})` : ''}${r.detail && !('p99' in r.detail && 'requestsPerSecond' in r.detail) ? ` ${JSON.stringify(r.detail)}` : ''}\n`,
  );
}
process.exit(0);
