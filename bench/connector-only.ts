/** `npx tsx bench/connector-only.ts`: just the connector figures (needs DATABASE_URL). */
import { loadConfig } from '../src/config.ts';
import { benchmarkConnector } from './connector.ts';

const url = loadConfig().db.url;
if (!url) {
  throw new Error('Set DATABASE_URL to a PostgreSQL server');
}
for (const r of await benchmarkConnector(url)) {
  process.stdout.write(
    `${r.name}: ${r.value.toFixed(1)} ${r.unit}${r.goal ? ` (goal ${r.goal}: ${r.met ? 'met' : 'MISSED'})` : ''} ${JSON.stringify(r.detail ?? {})}\n`,
  );
}
process.exit(0);
