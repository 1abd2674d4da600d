import { sql } from 'kysely';
import { type Actor, actingRole, userIdOf } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { addDays, vnDateOf, vnInstant } from '../calendar/index.ts';
import type { TDossierRating, TFollowUp, TRatingSummary } from '../contracts/ratings.ts';
import { Conflict, Forbidden, NotFound } from '../errors.ts';
import { recordAudit } from '../record-audit.ts';
import { reasonLabel } from './rules.ts';
import { cleanComment } from './service.ts';

/** Roles that see ratings per receiving officer and answer low ratings. */
export const LEADER_ROLES = ['leader', 'admin'] as const;

function isLeader(actor: Actor): boolean {
  return (LEADER_ROLES as readonly string[]).includes(actingRole(actor));
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
const reasons = (keys: string[]) => keys.map((key) => ({ key, label: reasonLabel(key) }));

/** A dossier's rating and its follow-up, for its page in the officer app (the actor's agency only). */
export async function dossierRating(app: AppContext, actor: Actor, code: string): Promise<TDossierRating> {
  const row = await app.db
    .selectFrom('dossier as d')
    .leftJoin('rating_invitation as ri', 'ri.dossier_id', 'd.id')
    .leftJoin('rating as r', 'r.dossier_id', 'd.id')
    .leftJoin('rating_follow_up as f', 'f.dossier_id', 'd.id')
    .leftJoin('app_user as u', 'u.id', 'f.answered_by')
    .select([
      'd.code',
      'ri.invited_at',
      'r.stars',
      'r.reasons',
      'r.comment',
      'r.channel',
      'r.first_rated_at',
      'r.rated_at',
      'r.revisions',
      'f.raised_at',
      'f.answer',
      'f.answered_at',
      'u.full_name as answered_by',
    ])
    .where('d.code', '=', code)
    .where('d.agency_id', '=', actor.agencyId)
    .executeTakeFirst();
  if (!row) {
    throw NotFound('dossier', code, 'Không tìm thấy hồ sơ.');
  }
  return {
    code: row.code,
    invitedAt: iso(row.invited_at),
    rating:
      row.stars === null
        ? null
        : {
            stars: row.stars,
            reasons: reasons(row.reasons ?? []),
            comment: row.comment ?? '',
            channel: row.channel!,
            firstRatedAt: iso(row.first_rated_at)!,
            ratedAt: iso(row.rated_at)!,
            revisions: row.revisions ?? 0,
          },
    followUp:
      row.raised_at === null
        ? null
        : {
            raisedAt: iso(row.raised_at)!,
            answer: row.answer,
            answeredBy: row.answered_by,
            answeredAt: iso(row.answered_at),
          },
  };
}

type Satisfaction = { ratings: number; average: number | null; stars: number[] };
const satisfactionColumns = [
  sql<number>`count(*)::int`.as('ratings'),
  sql<number | null>`round(avg(r.stars)::numeric, 2)::float8`.as('average'),
  sql<number[]>`array[count(*) filter (where r.stars = 1), count(*) filter (where r.stars = 2),
    count(*) filter (where r.stars = 3), count(*) filter (where r.stars = 4),
    count(*) filter (where r.stars = 5)]::int[]`.as('stars'),
];

/**
 * The dashboard's satisfaction figures of the actor's agency over the last 12 months (by the month the
 * dossier ended): overall, per month, per procedure, and per receiving officer for leaders and administrators.
 */
export async function ratingSummary(app: AppContext, actor: Actor): Promise<TRatingSummary> {
  const today = vnDateOf(app.clock());
  const since = vnInstant(`${addDays(today, -365).slice(0, 7)}-01`);
  const base = () =>
    app.db
      .selectFrom('rating as r')
      .innerJoin('dossier as d', 'd.id', 'r.dossier_id')
      .where('d.agency_id', '=', actor.agencyId)
      .where('d.finished_at', '>=', since);
  const [overall, byMonth, byProcedure, byOfficer, open] = await Promise.all([
    base().select(satisfactionColumns).executeTakeFirstOrThrow(),
    base()
      .select([
        sql<string>`to_char(d.finished_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM')`.as('month'),
        ...satisfactionColumns,
      ])
      .groupBy(sql`1`)
      .orderBy(sql`1`)
      .execute(),
    base()
      .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
      .select(['p.code', 'p.name', ...satisfactionColumns])
      .groupBy(['p.code', 'p.name'])
      .orderBy(sql`count(*)`, 'desc')
      .execute(),
    isLeader(actor)
      ? base()
          .leftJoin('app_user as u', 'u.id', 'd.received_by')
          .select([
            sql<string>`coalesce(u.full_name, 'Tiếp nhận qua hệ thống')`.as('officer'),
            ...satisfactionColumns,
          ])
          .groupBy(sql`1`)
          .orderBy(sql`1`)
          .execute()
      : Promise.resolve(null),
    app.db
      .selectFrom('rating_follow_up as f')
      .innerJoin('dossier as d', 'd.id', 'f.dossier_id')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('d.agency_id', '=', actor.agencyId)
      .where('f.answered_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  const fix = <T extends Satisfaction>(s: T): T => ({
    ...s,
    average: s.average === null ? null : Number(s.average),
  });
  return {
    overall: fix(overall),
    byMonth: byMonth.map(fix),
    byProcedure: byProcedure.map(fix),
    byOfficer: byOfficer ? byOfficer.map(fix) : null,
    openFollowUps: open.n,
  };
}

function requireLeader(actor: Actor): void {
  if (!isLeader(actor)) {
    throw Forbidden(
      `Role ${actingRole(actor)} may not handle low ratings`,
      'Chỉ lãnh đạo hoặc quản trị viên được xem và trả lời đánh giá chưa hài lòng.',
    );
  }
}

/** The low ratings of the actor's agency for its leader: unanswered first, then the latest answered. */
export async function listFollowUps(
  app: AppContext,
  actor: Actor,
  which: 'open' | 'all',
): Promise<{ items: TFollowUp[] }> {
  requireLeader(actor);
  const rows = await app.db
    .selectFrom('rating_follow_up as f')
    .innerJoin('dossier as d', 'd.id', 'f.dossier_id')
    .innerJoin('procedure as p', 'p.id', 'd.procedure_id')
    .innerJoin('rating as r', 'r.dossier_id', 'd.id')
    .leftJoin('app_user as u', 'u.id', 'f.answered_by')
    .select([
      'd.code',
      'p.name as procedure_name',
      'r.stars',
      'r.reasons',
      'r.comment',
      'r.rated_at',
      'f.raised_at',
      'f.answer',
      'f.answered_at',
      'u.full_name as answered_by',
    ])
    .where('d.agency_id', '=', actor.agencyId)
    .$if(which === 'open', (q) => q.where('f.answered_at', 'is', null))
    .orderBy(sql`f.answered_at is null`, 'desc')
    .orderBy('f.raised_at', 'desc')
    .limit(200)
    .execute();
  return {
    items: rows.map((r) => ({
      code: r.code,
      procedureName: r.procedure_name,
      stars: r.stars,
      reasons: reasons(r.reasons),
      comment: r.comment,
      ratedAt: iso(r.rated_at)!,
      raisedAt: iso(r.raised_at)!,
      answer: r.answer,
      answeredBy: r.answered_by,
      answeredAt: iso(r.answered_at),
    })),
  };
}

/** The leader's answer to a low rating, recorded once, with its audit record, in one transaction. */
export async function answerFollowUp(
  app: AppContext,
  actor: Actor,
  code: string,
  answer: string,
  ip: string | null,
): Promise<void> {
  requireLeader(actor);
  const text = cleanComment(answer);
  await app.db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('rating_follow_up as f')
      .from('dossier as d')
      .set({ answer: text, answered_by: userIdOf(actor), answered_at: app.clock() })
      .whereRef('d.id', '=', 'f.dossier_id')
      .where('d.code', '=', code)
      .where('d.agency_id', '=', actor.agencyId)
      .where('f.answered_at', 'is', null)
      .returning('f.dossier_id')
      .executeTakeFirst();
    if (!updated) {
      const exists = await tx
        .selectFrom('rating_follow_up as f')
        .innerJoin('dossier as d', 'd.id', 'f.dossier_id')
        .select('f.answered_at')
        .where('d.code', '=', code)
        .where('d.agency_id', '=', actor.agencyId)
        .executeTakeFirst();
      if (!exists) {
        throw NotFound('rating_follow_up', code, 'Hồ sơ này không có đánh giá chưa hài lòng cần trả lời.');
      }
      throw Conflict(
        'already_answered',
        'This low rating was already answered',
        'Đánh giá này đã được trả lời.',
      );
    }
    await recordAudit(tx, actor, 'rating.answer', { type: 'dossier', id: code }, { answer: text }, ip);
  });
}
