import path from 'node:path';
import { describe, it } from 'node:test';
import { assertNoStaleSnapshots, matchSqlSnapshot } from '../test-support/sql-snapshots.ts';
import { recordReceiptsStatement } from './repo.ts';

/** The receipt recorder's statement as it runs, compared with src/zalo/sql/*.sql (docs/testing.md). */
const dir = path.join(import.meta.dirname, 'sql');

describe('Zalo SQL snapshots', () => {
  it('records a batch of delivery receipts', async () => {
    await matchSqlSnapshot(
      dir,
      'record-receipts',
      recordReceiptsStatement({
        now: new Date('2026-03-02T02:00:00.000Z'),
        ours: '^(?:inst1-)?(\\d{1,18})$',
        ids: null,
        limit: 500,
      }),
      'delivery receipts in one statement (src/zalo/receipts.ts)',
    );
  });

  it('has no snapshot that no statement writes any more', async () => {
    await assertNoStaleSnapshots(dir);
  });
});
