import { createHash, randomBytes } from 'node:crypto';
import { type Actor, requireRole, userIdOf } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import type { Queryable } from '../db/pool.ts';
import { NotFound } from '../errors.ts';
import { requireAgency } from '../organisation/index.ts';
import { recordAudit } from '../record-audit.ts';

/**
 * Integration API keys: `mck_<prefix>_<secret>`, scoped to one agency. Only a SHA-256 of the whole key is
 * stored (the key has 192 bits of entropy, so a slow hash adds nothing); the key is shown once at creation.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(): { key: string; prefix: string } {
  const prefix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
  return { key: `mck_${prefix}_${randomBytes(24).toString('base64url')}`, prefix };
}

export function prefixOf(key: string): string | undefined {
  return /^mck_([A-Za-z0-9]{8})_[A-Za-z0-9_-]+$/.exec(key)?.[1];
}

/**
 * Keys recently found valid, per database: an integration system calls many times a second with the same
 * key, and reading it each time was a third of the statements of a status change. A key revoked on this
 * node is dropped at once; one revoked on another node stops working here within KEY_CACHE_MS (the same
 * bound as the working calendar's copy; docs/integration-api.md).
 */
const KEY_CACHE_MS = 5000;
const KEY_CACHE_SIZE = 1000;
/** Per app (src/app-caches.ts) and database handle: the copies by key hash, with when they were read. */
function keyCaches(): WeakMap<Queryable, Map<string, { actor: Actor; checkedAt: number }>> {
  return new WeakMap();
}

/**
 * The actor for a presented key, or undefined when unknown or revoked, at `app.clock()`. Records when it was
 * last used.
 */
export async function authenticateApiKey(
  app: Pick<AppContext, 'db' | 'clock' | 'caches'>,
  key: string,
): Promise<Actor | undefined> {
  if (!prefixOf(key)) {
    return undefined;
  }
  const { db } = app;
  const now = app.clock();
  const hash = hashApiKey(key);
  const caches = app.caches.of(keyCaches);
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const known = cache.get(hash);
  if (known && now.getTime() - known.checkedAt < KEY_CACHE_MS && now.getTime() >= known.checkedAt) {
    return known.actor;
  }
  cache.delete(hash);
  const row = await db
    .selectFrom('api_key')
    .select(['id', 'name', 'agency_id', 'last_used_at'])
    .where('key_hash', '=', hash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) {
    return undefined;
  }
  // At most one write a minute per key, not one per request.
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
    await db.updateTable('api_key').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  const actor: Actor = { kind: 'api_key', id: row.id, name: row.name, agencyId: row.agency_id };
  if (cache.size >= KEY_CACHE_SIZE) {
    // Oldest first (insertion order): only a flood of distinct valid keys gets here.
    cache.delete(cache.keys().next().value as string);
  }
  cache.set(hash, { actor, checkedAt: now.getTime() });
  return actor;
}

/** Forgets this app's copies of key `id` (after revoking it). */
export function forgetApiKey(app: Pick<AppContext, 'db' | 'caches'>, id: number): void {
  const cache = app.caches.of(keyCaches).get(app.db);
  for (const [hash, entry] of cache ?? []) {
    if (entry.actor.id === id) {
      cache?.delete(hash);
    }
  }
}

export interface CreatedApiKey {
  id: number;
  key: string;
  prefix: string;
  name: string;
  agencyId: number;
}

/** Creates a key for an agency; the returned `key` is never retrievable again. */
export async function createApiKey(
  app: AppContext,
  by: Actor | { kind: 'system'; name: string },
  input: { agencyId: number; name: string; fixedKey?: string; isDemo?: boolean },
): Promise<CreatedApiKey> {
  const { key, prefix } = input.fixedKey
    ? { key: input.fixedKey, prefix: prefixOf(input.fixedKey)! }
    : generateApiKey();
  return app.db.transaction().execute(async (tx) => {
    await requireAgency(tx, input.agencyId);
    const row = await tx
      .insertInto('api_key')
      .values({
        agency_id: input.agencyId,
        name: input.name,
        prefix,
        key_hash: hashApiKey(key),
        is_demo: input.isDemo ?? false,
        created_by: userIdOf(by),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(
      tx,
      by,
      'api_key.create',
      { type: 'api_key', id: row.id },
      { name: input.name, prefix },
    );
    return { id: row.id, key, prefix, name: input.name, agencyId: input.agencyId };
  });
}

export async function revokeApiKey(app: AppContext, by: Actor, id: number): Promise<void> {
  requireRole(by, ['admin'], 'revoke API keys');
  await app.db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('api_key')
      .set({ revoked_at: app.clock() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) {
      throw NotFound('api_key', String(id), 'Không tìm thấy khóa API đang hoạt động.');
    }
    await recordAudit(tx, by, 'api_key.revoke', { type: 'api_key', id });
  });
  forgetApiKey(app, id);
}

/** Every key of the province (administrators), without secrets. */
export async function listApiKeys(app: AppContext, by: Actor) {
  requireRole(by, ['admin'], 'list API keys');
  const rows = await app.db
    .selectFrom('api_key as k')
    .innerJoin('agency as a', 'a.id', 'k.agency_id')
    .select([
      'k.id',
      'k.name',
      'k.prefix',
      'k.agency_id',
      'a.name as agency_name',
      'k.created_at',
      'k.last_used_at',
      'k.revoked_at',
    ])
    .orderBy('k.id')
    .execute();
  return rows.map((k) => ({
    id: k.id,
    name: k.name,
    prefix: `mck_${k.prefix}_…`,
    agencyId: k.agency_id,
    agencyName: k.agency_name,
    createdAt: new Date(k.created_at).toISOString(),
    lastUsedAt: k.last_used_at ? new Date(k.last_used_at).toISOString() : null,
    revokedAt: k.revoked_at ? new Date(k.revoked_at).toISOString() : null,
  }));
}
