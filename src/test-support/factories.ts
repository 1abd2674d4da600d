import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { createApiKey } from '../auth/api-keys.ts';
import { createUser } from '../auth/users.ts';
import type { DocumentSpec, Role } from '../db/schema.ts';

/** Builders for test data: each test makes its own agency, officers and procedures. */

const SYSTEM = { kind: 'system' as const, name: 'test' };
let counter = 0;
const unique = () => `${process.pid % 1000}${++counter}${randomBytes(2).toString('hex').toUpperCase()}`;

async function ensureProvince(app: AppContext): Promise<void> {
  await app.db
    .insertInto('province')
    .values({ code: '44', name: 'Tỉnh Quảng Trị', short_name: 'Quảng Trị' })
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

export async function buildAgency(
  app: AppContext,
  overrides: { code?: string; name?: string; deskMode?: 'own' | 'connected' } = {},
) {
  await ensureProvince(app);
  return app.db
    .insertInto('agency')
    .values({
      code: overrides.code ?? `000.${unique()}.H50`,
      name: overrides.name ?? 'Bộ phận Một cửa thử nghiệm',
      parent_name: 'UBND TỈNH QUẢNG TRỊ',
      province_code: '44',
      commune_code: null,
      address: 'Số 1 Hùng Vương, Đồng Hới',
      hotline: '0232 3822 123',
      email: null,
      ...(overrides.deskMode ? { desk_mode: overrides.deskMode } : {}),
    })
    .returning(['id', 'code', 'name'])
    .executeTakeFirstOrThrow();
}

export interface ProcedureOverrides {
  code?: string;
  name?: string;
  processingDays?: number;
  unit?: 'working_days' | 'calendar_days';
  /** Default: 15:00 for same-day procedures (processingDays 0), none otherwise, as the law has it. */
  cutoffTime?: string | null;
  supplementRule?: 'restart' | 'extend';
  feeVnd?: number;
  documents?: DocumentSpec[];
}

export async function buildProcedure(app: AppContext, agencyIds: number[], o: ProcedureOverrides = {}) {
  const row = await app.db
    .insertInto('procedure')
    .values({
      code: o.code ?? `9.${unique()}`,
      name: o.name ?? 'Cấp Giấy xác nhận tình trạng hôn nhân',
      field: 'Hộ tịch',
      level: 'xa',
      processing_days: o.processingDays ?? 3,
      deadline_unit: o.unit ?? 'working_days',
      fee_vnd: o.feeVnd ?? 0,
      fee_note: '',
      documents: JSON.stringify(o.documents ?? [{ name: 'Tờ khai', form: 'Bản chính', quantity: 1 }]),
      cutoff_time:
        o.cutoffTime === undefined ? ((o.processingDays ?? 3) === 0 ? '15:00' : null) : o.cutoffTime,
      cutoff_basis: (o.cutoffTime === undefined ? o.processingDays === 0 : o.cutoffTime !== null)
        ? 'Luật Hộ tịch 2014, Điều 5 khoản 3'
        : '',
      supplement_rule: o.supplementRule ?? 'restart',
    })
    .returning(['id', 'code'])
    .executeTakeFirstOrThrow();
  if (agencyIds.length > 0) {
    await app.db
      .insertInto('procedure_agency')
      .values(agencyIds.map((agency_id) => ({ procedure_id: row.id, agency_id })))
      .execute();
  }
  return row;
}

export const TEST_PASSWORD = 'Kiemthu#4821';

export async function buildOfficer(
  app: AppContext,
  agencyId: number,
  role: Role = 'desk_officer',
  name?: string,
) {
  const username = `u${unique()}`.toLowerCase();
  const row = await createUser(app, SYSTEM, {
    username,
    fullName: name ?? 'Cán Bộ Thử',
    role,
    agencyId,
    password: TEST_PASSWORD,
  });
  const actor: Actor = { kind: 'user', id: row.id, name: row.full_name, username, role, agencyId };
  return { ...row, username, password: TEST_PASSWORD, actor };
}

export async function buildApiKey(app: AppContext, agencyId: number) {
  const created = await createApiKey(app, SYSTEM, { agencyId, name: 'Phần mềm một cửa' });
  const actor: Actor = { kind: 'api_key', id: created.id, name: created.name, agencyId };
  return { ...created, actor, authorization: `Bearer ${created.key}` };
}

/** A valid intake body; override any part. */
export function intakeBody(procedureCode: string, overrides: Record<string, unknown> = {}) {
  return {
    procedureCode,
    applicant: {
      fullName: 'Nguyễn Văn An',
      idNumber: '044090001234',
      phone: '0912 345 678',
      address: 'Tổ 5, phường Đồng Hới',
    },
    notifyByZalo: true,
    ...overrides,
  };
}

/** Receives a dossier through the integration API; the test fails unless it is created. */
export async function receiveViaApi(server: FastifyInstance, authorization: string, body: object) {
  const res = await server.inject({
    method: 'POST',
    url: '/api/v1/dossiers',
    headers: { authorization },
    payload: body,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: number; code: string };
}
