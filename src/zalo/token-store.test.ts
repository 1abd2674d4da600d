import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kysely, PostgresDialect } from 'kysely';
import { createAppCaches } from '../app-caches.ts';
import type { AppContext } from '../app-context.ts';
import type { DB } from '../db/schema.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';
import { forgetCachedToken, getAccessToken } from './token-store.ts';

describe('access token cache', () => {
  let desk: ZaloDesk;
  before(async () => {
    desk = await createZaloDesk({ realTime: true });
  });
  after(() => desk.t.close());

  it('reads the stored token once for every send that finds the cache empty at the same moment', async () => {
    let reads = 0;
    const db = new Kysely<DB>({
      dialect: new PostgresDialect({ pool: desk.t.db.pool }),
      log: (e) => {
        if (e.level === 'query' && e.query.sql.includes('"zalo_connection"')) {
          reads++;
        }
      },
    });
    const app: AppContext = { ...desk.t.app, db };
    forgetCachedToken(app);
    const tokens = await Promise.all(Array.from({ length: 50 }, () => getAccessToken(app)));
    assert.equal(new Set(tokens.map((t) => t.token)).size, 1);
    assert.equal(reads, 1);
    await getAccessToken(app);
    assert.equal(reads, 1, 'then served from the cache');
    // Another app in this process (a second node) keeps a copy of its own.
    const other: AppContext = { ...app, caches: createAppCaches() };
    assert.equal((await getAccessToken(other)).token, tokens[0]!.token);
    assert.equal(reads, 2, 'another app reads for itself');
    await getAccessToken(app);
    await getAccessToken(other);
    assert.equal(reads, 2);
  });
});
