import type { AppContext } from '../app-context.ts';

/**
 * This installation's random id (app_meta `installation_id`, written by migration 20261207-19-03), read once
 * per app (src/app-caches.ts) and database handle. It makes Zalo's tracking_id unique across installations
 * that share one OA.
 */
function installationIds(): WeakMap<object, Promise<string>> {
  return new WeakMap();
}

export function installationId(app: AppContext): Promise<string> {
  const ids = app.caches.of(installationIds);
  let id = ids.get(app.db);
  if (!id) {
    id = app.db
      .selectFrom('app_meta')
      .select('value')
      .where('key', '=', 'installation_id')
      .executeTakeFirstOrThrow()
      .then((row) => String(row.value));
    id.catch(() => ids.delete(app.db));
    ids.set(app.db, id);
  }
  return id;
}

/** The tracking_id of a ZBS message by phone: `<installation>-<notification id>` (at most 36 of Zalo's 48). */
export function trackingIdOf(installation: string, notificationId: number): string {
  return `${installation}-${notificationId}`;
}
