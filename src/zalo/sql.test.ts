import path from 'node:path';
import { describe, it } from 'node:test';
import { assertNoStaleSnapshots, matchSqlSnapshot } from '../test-support/sql-snapshots.ts';
import {
  claimDueStatement,
  insertAttemptsStatement,
  recordAcceptedStatement,
  recordReceiptsStatement,
  storeEventsStatement,
} from './repo.ts';
import { takeTokensStatement } from './send-rate.ts';

/** The send lane's and the receipt recorder's statements as they run, compared with src/zalo/sql/*.sql (docs/testing.md). */
const dir = path.join(import.meta.dirname, 'sql');
const now = new Date('2026-03-02T02:00:00.000Z');

describe('Zalo SQL snapshots', () => {
  it("stores the webhook's events, a citizen's after the earlier ones committed", async () => {
    await matchSqlSnapshot(
      dir,
      'store-events',
      storeEventsStatement([
        { dedupeKey: 'user_send_text:m1', name: 'user_send_text', server: null, raw: '{}', citizen: '42' },
        {
          dedupeKey: 'user_received_message:m2',
          name: 'user_received_message',
          server: 'ZNS',
          raw: '{}',
          citizen: null,
        },
      ]),
      'store a batch of webhook events under a lock per citizen (src/zalo/webhook-routes.ts)',
    );
  });

  it('claims due Zalo messages', async () => {
    await matchSqlSnapshot(
      dir,
      'claim-due',
      claimDueStatement({ now, leaseEnd: new Date('2026-03-02T02:00:20.000Z'), limit: 50, ids: null }),
      'claim up to $6 due Zalo messages until $7 (src/zalo/send-claim.ts)',
    );
  });

  it("takes a batch's send tokens from the shared bucket", async () => {
    await matchSqlSnapshot(
      dir,
      'take-tokens',
      takeTokensStatement('zalo', 50, 100, 50),
      'rate tokens for a batch of sends, in one statement (src/zalo/send-message.ts)',
    );
  });

  it('records a batch of attempts and accepted sends', async () => {
    await matchSqlSnapshot(
      dir,
      'insert-attempts',
      insertAttemptsStatement([
        { notificationId: 1, outcome: 'sent', errorCode: null, errorMessage: null, durationMs: 120 },
        {
          notificationId: 2,
          outcome: 'transient',
          errorCode: -32,
          errorMessage: 'timeout',
          durationMs: 10_000,
        },
      ]),
      'the attempt log of a batch of sends (src/zalo/send-message.ts)',
    );
    await matchSqlSnapshot(
      dir,
      'record-accepted',
      recordAcceptedStatement(
        [
          { id: 1, msgId: 'zalo-msg-1', simulated: false },
          { id: 3, msgId: 'test-3', simulated: true },
        ],
        now,
      ),
      'messages Zalo accepted, claims released (src/zalo/send-message.ts)',
    );
  });

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
