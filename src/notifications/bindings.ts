import { sql } from 'kysely';
import { isStatusCode, STATUSES } from '../contracts/statuses.ts';
import type { Queryable } from '../db/pool.ts';
import type { TemplateParamBinding } from '../db/schema.ts';
import { TRANSITIONS } from '../dossiers/index.ts';

/** The binding of the rating template (issue 22), used by the status change that ends a dossier. */
export const RATING_BINDING_KEY = 'rating';

/**
 * The template registry: which approved ZBS template a status change uses. Keys, most specific first:
 * `action.<action>` (e.g. action.request_supplement), `status.<n>`, then `status` (the default).
 */
export function bindingKeys(action: string, status: number): string[] {
  return [`action.${action}`, `status.${status}`, 'status'];
}

/** What a binding key means, in the words of the officer app ("status.5" → the status's name). */
export function bindingLabel(key: string): string {
  if (key === 'status') {
    return 'Mọi trạng thái (mặc định)';
  }
  if (key === RATING_BINDING_KEY) {
    return 'Mời đánh giá (hồ sơ kết thúc; mẫu loại 5 “đánh giá dịch vụ”)';
  }
  const status = /^status\.(\d{1,2})$/.exec(key);
  if (status) {
    const code = Number(status[1]);
    return `Trạng thái: ${isStatusCode(code) ? STATUSES[code].label : code}`;
  }
  const action = TRANSITIONS.find((r) => `action.${r.action}` === key);
  return action ? `Thao tác: ${action.label}` : key;
}

export async function findBinding(db: Queryable, action: string, status: number) {
  const rows = await db
    .selectFrom('zalo_template_binding')
    .selectAll()
    .where('key', 'in', bindingKeys(action, status))
    .execute();
  return pickBinding(rows, action, status);
}

/** The candidate bindings of a status change, as a JSON array in the query that reads the change. */
export const candidateBindings = sql<
  BindingRow[]
>`(select coalesce(json_agg(b), '[]') from zalo_template_binding b
  where b.key in ('action.' || j.action, 'status.' || j.to_status, 'status')
    or (b.key = ${RATING_BINDING_KEY} and exists (select 1 from rating_invitation ri where ri.journal_id = j.id)))`;

type BindingRow = { key: string; template_id: string; params: unknown };

/**
 * The most specific of the candidate bindings (see bindingKeys). The status change that invites the citizen to
 * rate (src/ratings) comes with the rating template's binding among its candidates, and uses it: its one
 * message is the status and the invitation (a ZBS "đánh giá dịch vụ" template, type 5).
 */
export function pickBinding(rows: BindingRow[], action: string, status: number) {
  for (const key of [RATING_BINDING_KEY, ...bindingKeys(action, status)]) {
    const row = rows.find((r) => r.key === key);
    if (row) {
      return {
        key: row.key,
        templateId: row.template_id,
        params: row.params as unknown as TemplateParamBinding[],
      };
    }
  }
  return undefined;
}

/** The bindings of the sandbox's demo templates; a province replaces them with its approved templates. */
export const DEFAULT_BINDINGS: { key: string; templateId: string; params: TemplateParamBinding[] }[] = [
  {
    key: 'status',
    templateId: '419001',
    params: [
      { name: 'ten_cong_dan', source: 'applicant_name', maxLength: 30 },
      { name: 'ma_ho_so', source: 'dossier_code', maxLength: 30 },
      { name: 'ten_thu_tuc', source: 'procedure_name', maxLength: 200 },
      { name: 'trang_thai', source: 'status_label', maxLength: 30 },
      { name: 'ngay_hen_tra', source: 'due_date', maxLength: 20 },
      { name: 'loi_nhan', source: 'next_step', maxLength: 90 },
    ],
  },
  {
    key: 'action.request_supplement',
    templateId: '419002',
    params: [
      { name: 'ten_cong_dan', source: 'applicant_name', maxLength: 30 },
      { name: 'ma_ho_so', source: 'dossier_code', maxLength: 30 },
      { name: 'giay_to_bo_sung', source: 'missing_documents', maxLength: 90 },
    ],
  },
  {
    key: RATING_BINDING_KEY,
    templateId: '419005',
    params: [
      { name: 'ten_cong_dan', source: 'applicant_name', maxLength: 30 },
      { name: 'ma_ho_so', source: 'dossier_code', maxLength: 30 },
      { name: 'ten_thu_tuc', source: 'procedure_name', maxLength: 200 },
      { name: 'trang_thai', source: 'status_label', maxLength: 30 },
    ],
  },
];

/** Loads the default bindings where none are configured (first start). */
export async function ensureDefaultBindings(db: Queryable): Promise<void> {
  for (const b of DEFAULT_BINDINGS) {
    await db
      .insertInto('zalo_template_binding')
      .values({ key: b.key, template_id: b.templateId, params: JSON.stringify(b.params) })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }
}
