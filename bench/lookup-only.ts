/**
 * `npx tsx bench/lookup-only.ts --database motcua_bench_lookup --dossiers 200000 [--keep]`: just the public
 * look-up figures and their hello baseline (needs DATABASE_URL). Seeding is the slow part, so with `--keep`
 * the database is left in place and reused by the next run when it already holds the dossiers.
 */
import { parseArgs } from 'node:util';
import { benchmarkLookup } from './lookup.ts';
import { onSeededWeb } from './setup.ts';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'motcua_bench_lookup' },
    dossiers: { type: 'string', default: '200000' },
    duration: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
  },
});
const dossierCount = Number(values.dossiers);
const duration = Number(values.duration);
await onSeededWeb(
  { database: values.database, dossiers: dossierCount, keep: values.keep, firstPort: 3300 },
  async ({ base, helloUrl, handle }) => {
    for (const r of await benchmarkLookup(handle.db, base, duration, helloUrl, dossierCount)) {
      const detail = r.detail as
        | {
            ratioToHello?: number;
            helloPerSecond?: number;
            rounds?: { ratio: number }[];
            non2xx?: number;
            codesSampled?: number;
            codesRepeated?: number;
          }
        | undefined;
      const ratio =
        detail?.ratioToHello === undefined
          ? ''
          : ` (${detail.ratioToHello.toFixed(2)} × hello at ${detail.helloPerSecond?.toFixed(0)} req/s; slices ${detail.rounds?.map((x) => x.ratio.toFixed(2)).join(', ')})`;
      process.stdout.write(
        `${r.name}: ${r.value.toFixed(1)} ${r.unit}${ratio}${r.goal ? ` (goal ${r.goal}: ${r.met ? 'met' : 'MISSED'})` : ''}` +
          ` non2xx=${detail?.non2xx ?? 0} codes sampled=${detail?.codesSampled} repeated=${detail?.codesRepeated}\n`,
      );
    }
  },
);
process.exit(0);
