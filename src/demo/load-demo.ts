import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { createApiKey, createUser } from '../auth/index.ts';
import {
  DEMO_AGENCIES,
  DEMO_API_KEY,
  DEMO_COMMUNES,
  DEMO_PASSWORD,
  DEMO_PROCEDURES,
  DEMO_PROVINCE,
  DEMO_USERS,
} from './demo-catalogue.ts';

const MARKER = 'demo_data_loaded';
const SYSTEM = { kind: 'system' as const, name: 'Dữ liệu mẫu' };

/**
 * Loads the demo province, procedures, officers and API key — once per database, whichever node gets there
 * first (advisory lock). Returns true when it loaded them now.
 */
export async function loadDemoData(app: AppContext): Promise<boolean> {
  return app.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext(${MARKER}))`.execute(conn);
    try {
      const done = await conn
        .selectFrom('app_meta')
        .select('key')
        .where('key', '=', MARKER)
        .executeTakeFirst();
      if (done) {
        return false;
      }
      const agencyIds = await conn.transaction().execute(async (tx) => {
        await tx.insertInto('province').values(DEMO_PROVINCE).execute();
        await tx
          .insertInto('commune')
          .values(DEMO_COMMUNES.map((c) => ({ ...c, province_code: DEMO_PROVINCE.code })))
          .execute();
        const ids: Record<string, number> = {};
        for (const { key, ...agency } of DEMO_AGENCIES) {
          const row = await tx
            .insertInto('agency')
            .values({ ...agency, province_code: DEMO_PROVINCE.code })
            .returning('id')
            .executeTakeFirstOrThrow();
          ids[key] = row.id;
        }
        for (const p of DEMO_PROCEDURES) {
          const row = await tx
            .insertInto('procedure')
            .values({ ...p, documents: JSON.stringify(p.documents) })
            .returning('id')
            .executeTakeFirstOrThrow();
          // The provincial centre receives every procedure in the province (NĐ 118: regardless of
          // administrative boundaries); commune desks receive the commune-level ones.
          const receivers = p.level === 'xa' ? [ids.province!, ids.dong_hoi!, ids.dong_ha!] : [ids.province!];
          await tx
            .insertInto('procedure_agency')
            .values(receivers.map((agency_id) => ({ procedure_id: row.id, agency_id })))
            .execute();
        }
        return ids;
      });
      const demoApp = { ...app, db: conn };
      for (const u of DEMO_USERS) {
        await createUser(demoApp, SYSTEM, {
          username: u.username,
          fullName: u.full_name,
          role: u.role,
          agencyId: agencyIds[u.agency]!,
          password: DEMO_PASSWORD,
          passwordIsDefault: true,
        });
      }
      await createApiKey(demoApp, SYSTEM, {
        agencyId: agencyIds.province!,
        name: 'Phần mềm một cửa (demo)',
        fixedKey: DEMO_API_KEY,
        isDemo: true,
      });
      await conn
        .insertInto('app_meta')
        .values({ key: MARKER, value: JSON.stringify({ at: app.clock() }) })
        .execute();
      return true;
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${MARKER}))`.execute(conn);
    }
  });
}

/** Problems that stop a production start: demo credentials still active. */
export async function productionDataProblems(app: AppContext): Promise<string[]> {
  const problems: string[] = [];
  const demoKey = await app.db
    .selectFrom('api_key')
    .select('id')
    .where('is_demo', '=', true)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (demoKey) {
    problems.push('the demo API key is active: revoke it (npm run cli -- api-key revoke --id …)');
  }
  const defaults = await app.db
    .selectFrom('app_user')
    .select('username')
    .where('password_is_default', '=', true)
    .where('disabled_at', 'is', null)
    .execute();
  if (defaults.length > 0) {
    problems.push(
      `accounts still use the default password: ${defaults.map((u) => u.username).join(', ')} ` +
        '(change them or disable the accounts)',
    );
  }
  return problems;
}
