import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../db/embedded.ts';
import { openDatabase } from '../db/pool.ts';
import { createLogger } from '../logger.ts';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import {
  buildAgency,
  buildApiKey,
  buildProcedure,
  intakeBody,
  receiveViaApi,
} from '../test-support/factories.ts';
import { LookupBatcher } from './lookup-batcher.ts';
import { findDossiersForLookup, type LookupRecord } from './lookup-dossier.ts';

/** Coalesced look-ups on real PostgreSQL: right answer per request, fewer queries, no stale reads, no lost errors. */
describe('look-up batcher', () => {
  let t: TestApp;
  let key: Awaited<ReturnType<typeof buildApiKey>>;
  let codes: string[];
  const UNKNOWN = '000.00.01.H50-200101-9999';

  before(async () => {
    t = await createTestApp({ env: { LOOKUP_PER_MINUTE_PER_IP: '1000' } });
    const agency = await buildAgency(t.app);
    key = await buildApiKey(t.app, agency.id);
    const procedure = await buildProcedure(t.app, [agency.id]);
    codes = [];
    for (let i = 0; i < 6; i++) {
      codes.push((await receiveViaApi(t.server, key.authorization, intakeBody(procedure.code))).code);
    }
  });
  after(() => t.close());

  /**
   * A look-up that never settles would let the event loop run dry and end the test file as if it had passed:
   * a pending timer keeps it alive and turns the hang into a failure.
   */
  const settled = async <T>(promises: Promise<T>[]) => {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('a look-up never settled')), 5000);
    });
    try {
      return await Promise.race([Promise.allSettled(promises), hang]);
    } finally {
      clearTimeout(timer);
    }
  };

  /** A batcher on the real query that records the codes of each query it sends. */
  const counted = (options?: { maxInFlight: number; maxBatch: number }) => {
    const queries: string[][] = [];
    const batcher = new LookupBatcher<LookupRecord>(
      (batch) => {
        queries.push(batch);
        return findDossiersForLookup(t.app.db, batch);
      },
      createLogger('silent'),
      options,
    );
    return { batcher, queries };
  };

  it('answers concurrent look-ups with one query, each with its own dossier', async () => {
    const { batcher, queries } = counted();
    const asked = [...codes, codes[0]!, UNKNOWN, codes[3]!];
    const found = await settled(asked.map((c) => batcher.find(c)));
    assert.deepEqual(
      found.map((r) => (r.status === 'fulfilled' ? (r.value?.code ?? 'none') : 'failed')),
      asked.map((c) => (c === UNKNOWN ? 'none' : c)),
    );
    assert.equal(queries.length, 1);
    assert.equal(queries[0]!.length, codes.length + 1, 'a code asked twice is read once');
  });

  it('splits large bursts by maxBatch and keeps at most maxInFlight queries running', async () => {
    let running = 0;
    let mostRunning = 0;
    const sizes: number[] = [];
    const batcher = new LookupBatcher<LookupRecord>(
      async (batch) => {
        sizes.push(batch.length);
        mostRunning = Math.max(mostRunning, ++running);
        try {
          return await findDossiersForLookup(t.app.db, batch);
        } finally {
          running--;
        }
      },
      createLogger('silent'),
      { maxInFlight: 2, maxBatch: 2 },
    );
    const found = await settled(codes.map((c) => batcher.find(c)));
    assert.deepEqual(
      found.map((r) => (r.status === 'fulfilled' ? r.value?.code : 'failed')),
      codes,
    );
    assert.ok(
      sizes.every((n) => n <= 2),
      `batch sizes ${sizes}`,
    );
    assert.equal(mostRunning, 2);
  });

  it('never answers a look-up from a query that started before it: a committed change is seen', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let readOld: () => void = () => {};
    const oldRead = new Promise<void>((r) => {
      readOld = r;
    });
    let first = true;
    const batcher = new LookupBatcher<LookupRecord>(async (batch) => {
      const rows = await findDossiersForLookup(t.app.db, batch);
      if (first) {
        first = false;
        // The first query has read the old status; hold its answer back while the dossier changes.
        readOld();
        await gate;
      }
      return rows;
    }, createLogger('silent'));
    const code = codes[1]!;
    const before = batcher.find(code);
    // The change commits only once the first query has read the dossier (no guess at how long that takes).
    await oldRead;
    const transition = await t.server.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${code}/transitions`,
      headers: { authorization: key.authorization },
      payload: { to: 4 },
    });
    assert.equal(transition.statusCode, 200, transition.body);
    const [afterCommit] = await settled([batcher.find(code)]);
    assert.equal(afterCommit?.status === 'fulfilled' && afterCommit.value?.status, 4);
    release();
    const [held] = await settled([before]);
    assert.equal(held?.status === 'fulfilled' && held.value?.status, 2);
  });

  it('fails only the look-up whose input breaks the query, not the ones batched with it', async () => {
    const { batcher } = counted();
    // PostgreSQL refuses a NUL character in text: the whole batched query fails.
    const asked = [codes[2]!, 'bad\u0000code', codes[4]!, UNKNOWN];
    const results = await settled(asked.map((c) => batcher.find(c)));
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? (r.value?.code ?? 'none') : 'failed')),
      [codes[2], 'failed', codes[4], 'none'],
    );
    assert.equal((await batcher.find(codes[5]!))?.code, codes[5], 'later look-ups still work');
  });

  it('fails every look-up of a batch at once when the server cannot be reached, without retrying each', async () => {
    // A real pool on a port where nothing listens: the connection is refused, whatever the codes.
    const nowhere = openDatabase(`postgres://postgres@127.0.0.1:${await freePort(40000)}/none`, { max: 2 });
    let queries = 0;
    const batcher = new LookupBatcher<LookupRecord>((batch) => {
      queries++;
      return findDossiersForLookup(nowhere.db, batch);
    }, createLogger('silent'));
    try {
      const results = await settled(codes.map((c) => batcher.find(c)));
      assert.ok(results.every((r) => r.status === 'rejected'));
      assert.equal(queries, 1);
    } finally {
      await nowhere.close();
    }
  });
});
