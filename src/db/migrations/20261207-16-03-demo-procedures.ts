import { type Kysely, sql } from 'kysely';

/**
 * Corrects the demo catalogue in databases that loaded it (a fresh database gets the corrected catalogue
 * from the demo loader, and this changes nothing there):
 * - 2.000720 is "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh"; registering a new household business,
 *   which the demo had under 2.000720, is 1.001612. The demo row keeps its dossiers and takes its right
 *   code; 2.000720 is added with the same receiving agencies.
 * - The criminal-record certificate (lý lịch tư pháp) and the driving-licence exchange moved to the Police
 *   on 1/3/2025 under new codes: the demo rows stop being offered (their dossiers stay).
 * Rows an administrator renamed are left alone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update procedure set code = '1.001612', updated_at = now()
    where code = '2.000720' and name = 'Đăng ký thành lập hộ kinh doanh'
      and not exists (select 1 from procedure where code = '1.001612')
  `.execute(db);
  await sql`
    with added as (
      insert into procedure (code, name, field, level, processing_days, fee_vnd, fee_note, documents,
                             cutoff_time, supplement_rule, deadline_unit)
      select '2.000720', 'Đăng ký thay đổi nội dung đăng ký hộ kinh doanh', p.field, p.level, 3, 0,
             'Theo Nghị quyết của HĐND tỉnh',
             '[{"name": "Thông báo thay đổi nội dung đăng ký hộ kinh doanh", "form": "Bản chính", "quantity": 1},
               {"name": "Bản sao giấy tờ pháp lý của cá nhân đối với chủ hộ kinh doanh (nếu thay đổi chủ hộ)",
                "form": "Bản sao", "quantity": 1}]'::jsonb,
             null, 'restart', 'working_days'
      from procedure p
      where p.code = '1.001612' and p.name = 'Đăng ký thành lập hộ kinh doanh'
        and not exists (select 1 from procedure where code = '2.000720')
      returning id
    )
    insert into procedure_agency (procedure_id, agency_id)
    select added.id, pa.agency_id
    from added, procedure_agency pa join procedure p on p.id = pa.procedure_id
    where p.code = '1.001612'
  `.execute(db);
  await sql`
    update procedure set active = false, updated_at = now()
    where (code = '2.000488' and name like 'Cấp Phiếu lý lịch tư pháp%')
       or (code = '1.002809' and name = 'Đổi giấy phép lái xe do ngành Giao thông vận tải cấp')
  `.execute(db);
}
