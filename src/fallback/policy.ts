import { type Actor, requireRole, userIdOf } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import {
  DEFAULT_FALLBACK_POLICY,
  policyProblems,
  type TFallbackPolicy,
  type TFallbackPolicyView,
  ZFallbackPolicy,
} from '../contracts/fallback.ts';
import type { Queryable } from '../db/pool.ts';
import { InvalidInput, NotFound } from '../errors.ts';
import { recordAudit } from '../record-audit.ts';

/** A stored policy as the application reads it: a row that no longer validates falls back to the default. */
export function policyOf(raw: unknown): TFallbackPolicy {
  const parsed = raw ? ZFallbackPolicy.safeParse(raw) : undefined;
  return parsed?.success ? parsed.data : DEFAULT_FALLBACK_POLICY;
}

async function provinceOf(db: Queryable, actor: Actor) {
  const province = await db
    .selectFrom('agency as a')
    .innerJoin('province as p', 'p.code', 'a.province_code')
    .leftJoin('fallback_policy as f', 'f.province_code', 'p.code')
    .select(['p.code', 'p.name', 'f.policy', 'f.updated_at'])
    .where('a.id', '=', actor.agencyId)
    .executeTakeFirst();
  if (!province) {
    throw NotFound('province', String(actor.agencyId), 'Không tìm thấy tỉnh của cơ quan.');
  }
  return province;
}

function view(
  app: AppContext,
  p: { code: string; name: string; policy: unknown; updated_at: Date | null },
): TFallbackPolicyView {
  return {
    provinceCode: p.code,
    provinceName: p.name,
    policy: policyOf(p.policy),
    isDefault: !p.policy,
    updatedAt: p.updated_at ? new Date(p.updated_at).toISOString() : null,
    providers: {
      sms: app.config.sms.provider,
      email: app.config.mail.transport === 'smtp' ? 'smtp' : app.config.mail.transport,
    },
  };
}

/** The fallback policy of the officer's province (the default until one is saved). */
export async function getFallbackPolicy(app: AppContext, actor: Actor): Promise<TFallbackPolicyView> {
  requireRole(actor, ['admin'], 'see the fallback policy');
  return view(app, await provinceOf(app.db, actor));
}

/** Saves the province's policy, with the previous and new policy in the audit journal (same transaction). */
export async function saveFallbackPolicy(
  app: AppContext,
  actor: Actor,
  input: TFallbackPolicy,
): Promise<TFallbackPolicyView> {
  requireRole(actor, ['admin'], 'change the fallback policy');
  const policy = ZFallbackPolicy.parse(input);
  const problems = policyProblems(policy);
  if (problems.length > 0) {
    throw new InvalidInput(problems);
  }
  policy.statuses.sort((a, b) => a - b);
  return app.db.transaction().execute(async (tx) => {
    const before = await provinceOf(tx, actor);
    const saved = await tx
      .insertInto('fallback_policy')
      .values({
        province_code: before.code,
        policy: JSON.stringify(policy),
        updated_by: userIdOf(actor),
      })
      .onConflict((oc) =>
        oc.column('province_code').doUpdateSet({
          policy: JSON.stringify(policy),
          updated_by: userIdOf(actor),
          updated_at: app.clock(),
        }),
      )
      .returning(['updated_at'])
      .executeTakeFirstOrThrow();
    await recordAudit(
      tx,
      actor,
      'fallback_policy.update',
      { type: 'province', id: before.code },
      { before: before.policy ?? null, after: policy },
    );
    return view(app, { ...before, policy, updated_at: saved.updated_at });
  });
}
