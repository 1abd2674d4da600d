import path from 'node:path';
import { describe, it } from 'node:test';
import { assertNoStaleSnapshots, compileOnly, matchSqlSnapshot } from '../test-support/sql-snapshots.ts';
import { takeTokensStatement } from './rate-bucket.ts';
import {
  claimDueStatement,
  insertAttemptsStatement,
  insertMessagesStatement,
  planningFactsOf,
  recordAcceptedStatement,
} from './repo.ts';

/** The pipeline's hot statements as they run, compared with src/notifications/sql/*.sql (docs/testing.md). */
const dir = path.join(import.meta.dirname, 'sql');
const now = new Date('2026-03-02T02:00:00.000Z');

describe('notification SQL snapshots', () => {
  it('claims due Zalo messages', async () => {
    await matchSqlSnapshot(
      dir,
      'claim-due',
      claimDueStatement({ now, leaseEnd: new Date('2026-03-02T02:00:20.000Z'), limit: 50, ids: null }),
      'claim up to $6 due Zalo messages until $7 (src/notifications/claim.ts)',
    );
  });

  it("takes a batch's send tokens from the shared bucket", async () => {
    await matchSqlSnapshot(
      dir,
      'take-tokens',
      takeTokensStatement('zalo', 50, 100, 50),
      'rate tokens for a batch of sends, in one statement (src/notifications/send-notification.ts)',
    );
  });

  it('plans messages of status changes', async () => {
    await matchSqlSnapshot(
      dir,
      'insert-messages',
      insertMessagesStatement(
        [
          {
            row: { journal_id: 7, seq: 2, dossier_id: 3, correlation_id: 'c0ffee' },
            channel: 'zalo_phone',
            recipient: '84912345678',
            template_key: 'status',
            template_id: '419001',
            payload: '{"ma_ho_so":"H50.26-260302-0001"}',
            rendered: 'H50.26-260302-0001',
            state: 'queued',
            wait_cause: null,
            error_vi: null,
          },
        ],
        now,
      ),
      'insert planned messages once, superseding older unsent ones (src/notifications/plan-notifications.ts)',
    );
  });

  it('reads a batch of status changes for planning', async () => {
    await matchSqlSnapshot(
      dir,
      'planning-facts',
      planningFactsOf(compileOnly, [7, 8]),
      'status changes with bindings and followers (planPhoneMessages)',
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
      'the attempt log of a batch of sends (src/notifications/send-notification.ts)',
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
      'messages Zalo accepted, claims released (src/notifications/send-notification.ts)',
    );
  });

  it('has no snapshot that no statement writes any more', async () => {
    await assertNoStaleSnapshots(dir);
  });
});
