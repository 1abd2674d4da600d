import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompiledQuery } from 'kysely';
import { parseSearch } from '../dossiers/find-dossiers.ts';
import {
  countDossiersStatement,
  type DossierFilters,
  dossierPageStatement,
  dossiersAfterStatement,
} from '../dossiers/repo.ts';
import { createTestDatabase, type TestDatabase } from '../test-support/database.ts';
import { claimDueStatement, recordReceiptsStatement } from '../zalo/repo.ts';

/**
 * The plans of the statements that must stay fast as tables grow. On a desk with a history (tens of thousands
 * of dossiers and sent messages, a few due), analysed, with sequential scans priced out (`enable_seqscan =
 * off`: at this test's size reading a whole table is still cheap, at a province's it is not), each statement
 * must be served by the index it was written for and read no table whole. A reworded statement that no
 * index can serve any more (a sequential scan then remains, however priced), or a dropped index, fails here.
 */

const AGENCY = 1;
const DOSSIERS = 30_000;

let db: TestDatabase;

before(async () => {
  db = await createTestDatabase({ poolMax: 2 });
  // One script in the simple protocol (several statements; nothing user-given in it).
  await db.pool.query(`
    insert into province (code, name, short_name) values ('44', 'Tỉnh Quảng Trị', 'Quảng Trị');
    insert into agency (id, code, name, parent_name, province_code, address, hotline)
      overriding system value
      select i, '000.00.' || i || '.H50', 'Bộ phận Một cửa ' || i, 'UBND', '44', 'Đồng Hới', '0232 3822 123'
      from generate_series(1, 10) i;
    insert into procedure (id, code, name, field, level, processing_days, fee_vnd, fee_note, documents)
      overriding system value values (1, '9.000001', 'Cấp Giấy xác nhận tình trạng hôn nhân', 'Hộ tịch', 'xa', 3, 0, '', '[]');
    -- A desk's history (and a little of another desk's); names vary as real ones do.
    insert into dossier (code, agency_id, procedure_id, status, channel, applicant_name, applicant_id_number,
                         phone, received_at, due_date, clock_started_at, finished_at)
      select '000.00.' || case when i % 10 = 0 then 2 else 1 end || '.H50-'
               || to_char(timestamptz '2025-01-01' + i * interval '17 minutes', 'YYMMDD') || '-' || lpad((i % 10000)::text, 4, '0'),
             case when i % 10 = 0 then 2 else 1 end, 1, case when i % 7 = 0 then 2 else 6 end, 'direct',
             (array['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng'])[i % 5 + 1] || ' '
               || translate(md5(i::text), '0123456789', 'ghiklmnopq') || ' ' || (array['An', 'Bình', 'Chi', 'Dũng'])[i % 4 + 1],
             lpad(i::text, 12, '0'), '849' || lpad(i::text, 8, '0'),
             timestamptz '2025-01-01' + i * interval '17 minutes', date '2025-02-01' + (i / 100),
             timestamptz '2025-01-01' + i * interval '17 minutes',
             case when i % 7 = 0 then null else timestamptz '2025-01-02' + i * interval '17 minutes' end
      from generate_series(1, ${DOSSIERS}) i;
    insert into dossier_journal (dossier_id, seq, action, to_status, actor_name)
      select id, 1, 'receive', 2, 'test' from dossier;
    -- Every dossier's message long delivered, a few hundred due now.
    insert into notification (dossier_id, journal_id, journal_seq, channel, recipient, template_key, template_id,
                              state, provider_msg_id, next_attempt_at)
      select j.dossier_id, j.id, 1, 'zalo_phone', d.phone, 'status', '419001',
             case when j.id % 100 = 0 then 'queued' else 'delivered' end,
             case when j.id % 100 = 0 then null else 'msg-' || j.id end,
             case when j.id % 200 = 0 then timestamptz '2026-03-02' else null end
      from dossier_journal j join dossier d on d.id = j.dossier_id;
    -- Receipts long processed, a few waiting.
    insert into zalo_event (event_name, dedupe_key, raw, received_at, processed_at)
      select 'user_received_message', 'r' || i, '{}', timestamptz '2026-03-01', case when i % 100 <> 0 then now() end
      from generate_series(1, 20000) i;
    analyze;
  `);
});

after(async () => {
  await db?.drop();
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

async function planOf(q: CompiledQuery): Promise<PlanNode> {
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    await client.query('set local enable_seqscan = off');
    // An unnamed statement: planned with these parameter values, as the first runs of a prepared one are.
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `explain (format json) ${q.sql}`,
      q.parameters as unknown[],
    );
    return rows[0]!['QUERY PLAN'][0].Plan;
  } finally {
    await client.query('rollback');
    client.release();
  }
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

function show(plan: PlanNode, depth = 0): string {
  const self = `${'  '.repeat(depth)}${plan['Node Type']}${plan['Relation Name'] ? ` on ${plan['Relation Name']}` : ''}${plan['Index Name'] ? ` using ${plan['Index Name']}` : ''}`;
  return [self, ...(plan.Plans ?? []).map((p) => show(p, depth + 1))].join('\n');
}

/** The plan uses `index` (among others) and reads no table whole. */
async function assertUses(q: CompiledQuery, index: string): Promise<void> {
  const plan = await planOf(q);
  const nodes = nodesOf(plan);
  assert.ok(
    nodes.some((n) => n['Index Name'] === index),
    `expected ${index} in the plan:\n${show(plan)}`,
  );
  const scans = nodes.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
  assert.deepEqual(scans, [], `expected no sequential scan:\n${show(plan)}`);
}

const now = new Date('2026-03-02T02:00:00.000Z');

describe('query plans on a desk with a history', () => {
  it('claims due messages through notification_due_idx', async () => {
    await assertUses(
      claimDueStatement({ now, leaseEnd: new Date(now.getTime() + 20_000), limit: 50, ids: null }).compile(
        db.db,
      ),
      'notification_due_idx',
    );
  });

  it('finds unprocessed receipts through zalo_event_unprocessed_idx', async () => {
    await assertUses(
      recordReceiptsStatement({ now, ours: '^(?:x-)?(\\d{1,18})$', ids: null, limit: 500 }).compile(db.db),
      'zalo_event_unprocessed_idx',
    );
  });

  const page = { limit: 20, offset: 0 };
  const lists: [string, DossierFilters, string][] = [
    ['the newest page', { agencyId: AGENCY }, 'dossier_agency_received_idx'],
    ['by status', { agencyId: AGENCY, statuses: [2] }, 'dossier_agency_status_idx'],
    [
      'by the end of a code',
      { agencyId: AGENCY, search: parseSearch('250101-0010') },
      'dossier_code_reversed_idx',
    ],
    ['by phone', { agencyId: AGENCY, search: parseSearch('0900001234') }, 'dossier_phone_idx'],
    ['by ID number', { agencyId: AGENCY, search: parseSearch('000000001234') }, 'dossier_id_number_idx'],
    ['by name', { agencyId: AGENCY, search: parseSearch('Nguyễn eldakbof') }, 'dossier_name_search_idx'],
  ];
  for (const [what, filters, index] of lists) {
    it(`lists dossiers ${what} through ${index}`, async () => {
      await assertUses(dossierPageStatement(db.db, filters, page).compile(), index);
    });
  }

  it('counts by status, and pages by cursor', async () => {
    await assertUses(
      countDossiersStatement(db.db, { agencyId: AGENCY, statuses: [2] }, 10_000).compile(),
      'dossier_agency_status_idx',
    );
    await assertUses(
      dossiersAfterStatement(
        db.db,
        { agencyId: AGENCY },
        { at: new Date('2025-06-01'), id: 5000 },
        51,
      ).compile(),
      'dossier_agency_received_idx',
    );
  });
});
