import path from 'node:path';
import { describe, it } from 'node:test';
import { assertNoStaleSnapshots, compileOnly, matchSqlSnapshot } from '../test-support/sql-snapshots.ts';
import { parseSearch } from './find-dossiers.ts';
import { insertReceivedStatement } from './insert-received.ts';
import {
  countDossiersStatement,
  type DossierFilters,
  dossierPageStatement,
  dossiersAfterStatement,
  writeTransitionStatement,
} from './repo.ts';

/** The dossier statements that must stay fast, compared with src/dossiers/sql/*.sql (docs/testing.md). */
const dir = path.join(import.meta.dirname, 'sql');
const page = { limit: 20, offset: 0 };

describe('dossier SQL snapshots', () => {
  it('receives a dossier in one statement', async () => {
    const at = new Date('2026-03-02T02:00:00.000Z');
    await matchSqlSnapshot(
      dir,
      'insert-received',
      // The columns as receiveDossier gives them.
      insertReceivedStatement({
        agencyId: 1,
        codePrefix: '000.00.01.H50-260302-',
        day: '2026-03-02',
        dossier: {
          procedure_id: 1,
          status: 1,
          channel: 'direct',
          applicant_name: 'Nguyễn Văn An',
          applicant_id_number: '044090000001',
          applicant_birth_date: null,
          applicant_address: '',
          phone: '84912345678',
          email: null,
          notify_by_zalo: true,
          received_documents: '[]',
          copies: 1,
          note: '',
          received_at: at,
          received_by: 5,
          received_by_api_key: null,
          due_date: '2026-03-05',
          deadline_start: '2026-03-02',
          deadline_unit: 'working_days',
          deadline_days: 3,
          clock_started_at: at,
          idempotency_key: null,
          idempotency_hash: null,
        },
        journal: {
          actor_user_id: 5,
          actor_api_key_id: null,
          actor_name: 'Lê Thị Thu',
          at,
          note: '',
          data: '{"dueDate":"2026-03-05","notifyByZalo":true}',
          correlation_id: 'c0ffee',
        },
      }),
      'the day number, the dossier, its journal entry and outbox row (src/dossiers/receive-dossier.ts)',
    );
  });

  it('moves a dossier in one statement', async () => {
    await matchSqlSnapshot(
      dir,
      'write-transition',
      writeTransitionStatement(compileOnly, {
        dossierId: 42,
        version: 3,
        changes: { status: 4, version: 4, updated_at: new Date('2026-03-02T02:00:00.000Z') },
        seq: 4,
        at: new Date('2026-03-02T02:00:00.000Z'),
        action: 'approve',
        from: 3,
        to: 4,
        actor: { actor_user_id: 5, actor_api_key_id: null, actor_name: 'Lê Thị Thu' },
        note: '',
        journalData: {},
        correlationId: 'c0ffee',
      }),
      'row, journal entry and outbox row, only if the version read is current (src/dossiers/transition-dossier.ts)',
    );
  });

  const lists: [string, string, DossierFilters][] = [
    ['list-page', 'the newest dossiers of an agency', { agencyId: 1 }],
    ['list-by-status', 'by status', { agencyId: 1, statuses: [2, 3] }],
    ['list-overdue', 'overdue', { agencyId: 1, overdueOn: '2026-03-02' }],
    ['search-code-end', 'search by the end of a code', { agencyId: 1, search: parseSearch('260302-0001') }],
    ['search-phone', 'search by phone', { agencyId: 1, search: parseSearch('0912 345 678') }],
    ['search-name', 'search by name', { agencyId: 1, search: parseSearch('Nguyễn Văn') }],
  ];
  for (const [name, what, filters] of lists) {
    it(`lists dossiers: ${what}`, async () => {
      await matchSqlSnapshot(
        dir,
        name,
        dossierPageStatement(compileOnly, filters, page),
        `a page of the list, ${what} (src/dossiers/find-dossiers.ts)`,
      );
    });
  }

  it('counts up to the cap, and pages by cursor', async () => {
    await matchSqlSnapshot(
      dir,
      'count-capped',
      countDossiersStatement(compileOnly, { agencyId: 1, statuses: [2] }, 10_000),
      'the pager total, counted up to the cap (src/dossiers/find-dossiers.ts)',
    );
    await matchSqlSnapshot(
      dir,
      'list-after-cursor',
      dossiersAfterStatement(
        compileOnly,
        { agencyId: 1 },
        { at: new Date('2026-03-02T02:00:00.000Z'), id: 99 },
        51,
      ),
      'the integration API keyset page (src/dossiers/find-dossiers.ts)',
    );
  });

  it('has no snapshot that no statement writes any more', async () => {
    await assertNoStaleSnapshots(dir);
  });
});
