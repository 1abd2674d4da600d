import path from 'node:path';
import { describe, it } from 'node:test';
import { assertNoStaleSnapshots, compileOnly, matchSqlSnapshot } from '../test-support/sql-snapshots.ts';
import { insertMessagesStatement, planningFactsOf } from './repo.ts';

/** Planning's hot statements as they run, compared with src/notifications/sql/*.sql (docs/testing.md). */
const dir = path.join(import.meta.dirname, 'sql');
const now = new Date('2026-03-02T02:00:00.000Z');

describe('notification SQL snapshots', () => {
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

  it('has no snapshot that no statement writes any more', async () => {
    await assertNoStaleSnapshots(dir);
  });
});
