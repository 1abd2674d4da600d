import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { type AppContext, createAppContext } from '../app-context.ts';
import {
  addDays,
  computeDeadline,
  fromDayNumber,
  loadCalendar,
  seededRandom,
  toDayNumber,
  vnDateOf,
  vnInstant,
} from '../calendar/index.ts';
import { loadConfig } from '../config.ts';
import { formatDossierCode } from '../contracts/dossier-code.ts';
import { connectDatabase } from '../db/connect.ts';
import { loadDemoData } from '../demo/index.ts';
import { createLogger } from '../logger.ts';

/**
 * Loads many realistic dossiers fast, for look-up and list benchmarks: the demo agencies and procedures,
 * reception times on working days over the past years, correct codes and due dates, statuses weighted like
 * a real desk, and a journal entry each. Rows go in with multi-row INSERT … SELECT unnest(…) batches, with the
 * search indexes rebuilt once at the end instead of row by row.
 */
const SURNAMES = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Thanh', 'Ngọc', 'Quang', 'Thu', 'Xuân', 'Công', 'Hồng'];
const GIVEN = [
  'An',
  'Bình',
  'Châu',
  'Dũng',
  'Hà',
  'Hải',
  'Hạnh',
  'Hiếu',
  'Hoa',
  'Hùng',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Nga',
  'Phúc',
  'Phương',
  'Quân',
  'Sơn',
  'Tâm',
  'Thảo',
  'Trang',
  'Tuấn',
  'Việt',
  'Yến',
];
const PREFIXES = [
  '090',
  '091',
  '093',
  '094',
  '097',
  '098',
  '086',
  '088',
  '032',
  '035',
  '038',
  '070',
  '077',
  '081',
  '083',
  '085',
];
/** Status weights of an established desk: most dossiers are returned. */
const STATUS_WEIGHTS: [number, number][] = [
  [10, 0.7],
  [9, 0.05],
  [4, 0.12],
  [2, 0.04],
  [5, 0.03],
  [6, 0.02],
  [3, 0.02],
  [8, 0.02],
];
const BATCH = 5000;

export async function seedBulkDossiers(
  app: AppContext,
  count: number,
  seed = 1,
): Promise<{ inserted: number; seconds: number }> {
  const started = Date.now();
  await loadDemoData(app);
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const agencies = await app.db.selectFrom('agency').select(['id', 'code']).execute();
  const offered = await app.db
    .selectFrom('procedure_agency as pa')
    .innerJoin('procedure as p', 'p.id', 'pa.procedure_id')
    .select(['pa.agency_id', 'p.id', 'p.processing_days', 'p.deadline_unit', 'p.cutoff_time', 'p.documents'])
    .execute();
  const calendar = await loadCalendar(app);
  const today = vnDateOf(app.clock());
  const perDay = Math.max(1, Math.ceil(count / agencies.length / 700));
  if (perDay > 9999) {
    throw new Error('Too many dossiers for the 9999-a-day code limit over two years');
  }

  // Walk back from yesterday over working days, filling each agency's day with `perDay` dossiers.
  const counters = new Map<string, number>();
  let day = addDays(today, -1);
  let dayFill = 0;
  let agencyIndex = 0;
  const nextSlot = () => {
    if (dayFill >= perDay) {
      dayFill = 0;
      agencyIndex++;
      if (agencyIndex >= agencies.length) {
        agencyIndex = 0;
        do {
          day = addDays(day, -1);
        } while (!calendar.isWorkingDay(day));
      }
    }
    dayFill++;
    return { day, agency: agencies[agencyIndex]! };
  };

  await sql`drop index if exists dossier_name_search_idx`.execute(app.db);
  let inserted = 0;
  try {
    while (inserted < count) {
      const n = Math.min(BATCH, count - inserted);
      const rows = Array.from({ length: n }, () => {
        const slot = nextSlot();
        const key = `${slot.agency.id}|${slot.day}`;
        const sequence = (counters.get(key) ?? 0) + 1;
        counters.set(key, sequence);
        const procs = offered.filter((p) => p.agency_id === slot.agency.id);
        const proc = pick(procs);
        const receivedAt = vnInstant(
          slot.day,
          `${String(7 + Math.floor(random() * 10)).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}`,
        );
        const { dueDate } = computeDeadline(
          calendar,
          { receivedAt, online: false, officeClosesAt: '17:00' },
          { days: proc.processing_days, unit: proc.deadline_unit, cutoffTime: proc.cutoff_time },
        );
        let status = pickWeighted(random);
        if (dueDate >= today && status === 10 && random() < 0.5) {
          status = 4;
        }
        const finished = [3, 8, 9, 10].includes(status);
        const finishDay = fromDayNumber(
          Math.min(toDayNumber(dueDate) - (random() < 0.9 ? 0 : -2), toDayNumber(today) - 1),
        );
        // biome-ignore lint/complexity/useMathMinMax: ISO date strings compare as text
        const closedDay = finishDay < slot.day ? slot.day : finishDay;
        return {
          code: formatDossierCode(slot.agency.code, slot.day, sequence),
          agency_id: slot.agency.id,
          procedure_id: proc.id,
          status,
          name: `${pick(SURNAMES)} ${pick(MIDDLE)} ${pick(GIVEN)}`,
          id_number: `0${String(Math.floor(random() * 96) + 1).padStart(2, '0')}${String(Math.floor(random() * 1e9)).padStart(9, '0')}`,
          phone: `84${pick(PREFIXES).slice(1)}${String(Math.floor(random() * 1e7)).padStart(7, '0')}`,
          notify: random() < 0.6,
          received_at: receivedAt.toISOString(),
          due_date: dueDate,
          paused: status === 5 || status === 6 ? receivedAt.toISOString() : null,
          finished_at: finished ? vnInstant(closedDay, '16:00').toISOString() : null,
          returned_at: status === 10 ? vnInstant(closedDay, '16:30').toISOString() : null,
          documents: JSON.stringify(proc.documents),
        };
      });
      const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
      await sql`
        insert into dossier (code, agency_id, procedure_id, status, channel, applicant_name, applicant_id_number,
          applicant_address, phone, notify_by_zalo, received_documents, received_at, due_date, clock_started_at,
          clock_paused_at, finished_at, returned_at, status_data)
        select code, agency_id, procedure_id, status, 'direct', name, id_number, 'Tỉnh Quảng Trị', phone, notify,
          documents::jsonb, received_at, due_date, received_at, paused, finished_at, returned_at, '{}'::jsonb
        from unnest(${col('code')}::text[], ${col('agency_id')}::int[], ${col('procedure_id')}::int[],
          ${col('status')}::smallint[], ${col('name')}::text[], ${col('id_number')}::text[], ${col('phone')}::text[],
          ${col('notify')}::boolean[], ${col('documents')}::text[], ${col('received_at')}::timestamptz[],
          ${col('due_date')}::date[], ${col('paused')}::timestamptz[], ${col('finished_at')}::timestamptz[],
          ${col('returned_at')}::timestamptz[])
          as t(code, agency_id, procedure_id, status, name, id_number, phone, notify, documents, received_at, due_date,
               paused, finished_at, returned_at)`.execute(app.db);
      inserted += n;
    }
    await sql`
      insert into dossier_journal (dossier_id, seq, at, action, from_status, to_status, actor_name, data)
      select id, 1, received_at, 'receive', null, 2, 'Dữ liệu mẫu', '{}'::jsonb from dossier d
      where not exists (select 1 from dossier_journal j where j.dossier_id = d.id)`.execute(app.db);
    for (const [key, last] of counters) {
      const [agencyId, counterDay] = key.split('|') as [string, string];
      await app.db
        .insertInto('dossier_code_counter')
        .values({ agency_id: Number(agencyId), day: counterDay, last })
        .onConflict((oc) =>
          oc
            .columns(['agency_id', 'day'])
            .doUpdateSet({ last: sql`greatest(dossier_code_counter.last, excluded.last)` }),
        )
        .execute();
    }
  } finally {
    await sql`create index if not exists dossier_name_search_idx on dossier using gin (immutable_unaccent(lower(applicant_name)) gin_trgm_ops)`.execute(
      app.db,
    );
    await sql`create index if not exists dossier_code_search_idx on dossier using gin (code gin_trgm_ops)`.execute(
      app.db,
    );
    await sql`analyze dossier`.execute(app.db);
  }
  return { inserted, seconds: (Date.now() - started) / 1000 };
}

function pickWeighted(random: () => number): number {
  let r = random();
  for (const [status, weight] of STATUS_WEIGHTS) {
    if (r < weight) {
      return status;
    }
    r -= weight;
  }
  return 10;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { dossiers: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' } },
  });
  const count = Number(values.dossiers);
  if (!Number.isInteger(count) || count < 1) {
    throw new Error('--dossiers must be a positive whole number');
  }
  const config = loadConfig();
  const logger = createLogger('warn');
  const database = await connectDatabase(config, logger, { stopAdoptedServer: false });
  try {
    const app = createAppContext(database.db, config, logger);
    const result = await seedBulkDossiers(app, count, Number(values.seed));
    process.stdout.write(`Inserted ${result.inserted} dossiers in ${result.seconds.toFixed(1)} s.\n`);
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
