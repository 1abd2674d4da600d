import { type Actor, requireRole } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import type { Queryable } from '../db/pool.ts';
import { AppError, NotFound } from '../errors.ts';
import { recordAudit } from '../record-audit.ts';

export type DeskMode = 'own' | 'connected';

export const DESK_MODE_LABELS: Record<DeskMode, string> = {
  own: 'Một cửa vận hành trên phần mềm này',
  connected: 'Kết nối phần mềm một cửa của tỉnh',
};

export async function deskModeOf(db: Queryable, agencyId: number): Promise<DeskMode> {
  const row = await db.selectFrom('agency').select('desk_mode').where('id', '=', agencyId).executeTakeFirst();
  if (!row) {
    throw NotFound('agency', String(agencyId), 'Không tìm thấy cơ quan.');
  }
  return row.desk_mode;
}

/**
 * In a connected agency the external system is the source of truth: officers see dossiers but do not receive
 * or move them (their change would be overwritten, or contradict what the citizen was told). The officer app
 * hides the buttons; this is the server's refusal. API keys keep every route.
 */
export async function refuseOfficerInConnectedAgency(db: Queryable, actor: Actor): Promise<void> {
  if (actor.kind !== 'user') {
    return;
  }
  if ((await deskModeOf(db, actor.agencyId)) === 'connected') {
    throw new AppError(
      'agency_connected',
      'This agency is connected to an external one-stop system: dossiers are received and moved there',
      'Cơ quan đang kết nối với phần mềm một cửa của tỉnh: hồ sơ được tiếp nhận và chuyển trạng thái trên phần mềm đó.',
    );
  }
}

/** The administrator's setting, audit-logged with the mode before and after. */
export async function setDeskMode(app: AppContext, actor: Actor, mode: DeskMode, ip: string | null) {
  requireRole(actor, ['admin'], 'change the desk mode');
  return app.db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('agency')
      .select('desk_mode')
      .where('id', '=', actor.agencyId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (before.desk_mode !== mode) {
      await tx.updateTable('agency').set({ desk_mode: mode }).where('id', '=', actor.agencyId).execute();
      await recordAudit(
        tx,
        actor,
        'agency.desk_mode',
        { type: 'agency', id: actor.agencyId },
        { from: before.desk_mode, to: mode },
        ip,
      );
    }
    return { mode, changed: before.desk_mode !== mode };
  });
}
