import { type Kysely, sql } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { type BenchResult, load } from './measure.ts';

/** More codes than two 5-second loads ask for at several thousand look-ups a second. */
const SAMPLE = 200_000;

/**
 * The public look-up by code under load: throughput against the bare hello route of the same run (50
 * concurrent) and latency at a light load (4 concurrent), on random codes spread over the whole table.
 * Each code is asked once per run (as long as the sample lasts, which `codesRepeated` reports): a
 * citizen rarely asks twice within seconds, and a small cycled sample would only measure PostgreSQL's
 * buffer cache on a few hundred pages.
 */
export async function benchmarkLookup(
  db: Kysely<DB>,
  base: string,
  duration: number,
  helloPerSecond: number,
  dossierCount: number,
): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  // Row sampling (bernoulli), not page sampling: codes from every part of the table, in random order.
  const percent = Math.min(100, (120 * SAMPLE) / Math.max(1, dossierCount));
  const lookupCodes = (
    await sql<{ code: string }>`select code from dossier tablesample bernoulli (${sql.lit(percent)})
      order by random() limit ${SAMPLE}`.execute(db)
  ).rows.map((r) => r.code);
  let lookupIndex = 0;
  const sampleFacts = () => ({
    codesSampled: lookupCodes.length,
    codesRepeated: Math.max(0, lookupIndex - lookupCodes.length),
  });
  const lookupLoad = (connections: number) =>
    load({
      url: `${base}/api/public/lookup`,
      duration,
      connections,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => ({
            ...req,
            path: `/api/public/lookup?code=${encodeURIComponent(lookupCodes[lookupIndex++ % lookupCodes.length]!)}`,
          }),
        },
      ],
    });
  const lookupSaturated = await lookupLoad(50);
  results.push({
    name: 'public look-up by code, 50 concurrent: throughput',
    unit: 'req/s',
    value: lookupSaturated.requestsPerSecond,
    goal: '≥ 0.5 × hello',
    met: lookupSaturated.requestsPerSecond >= 0.5 * helloPerSecond,
    detail: {
      ratioToHello: lookupSaturated.requestsPerSecond / helloPerSecond,
      p99: lookupSaturated.p99,
      non2xx: lookupSaturated.non2xx,
      dossiers: dossierCount,
      ...sampleFacts(),
    },
  });
  const lookupLight = await lookupLoad(4);
  results.push({
    name: 'public look-up by code, 4 concurrent: p99',
    unit: 'ms',
    value: lookupLight.p99,
    goal: '≤ 15 ms',
    met: lookupLight.p99 <= 15,
    detail: { ...lookupLight, dossiers: dossierCount, ...sampleFacts() },
  });
  return results;
}
