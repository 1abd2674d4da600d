/**
 * The state a feature keeps between requests (caches, throttles) lives here, one instance per app, instead of
 * in module-level variables: two apps in one process (tests, a second node) never share it, and a new app
 * starts empty. Each feature owns its state's shape; the factory function itself is the key, so this module
 * knows no feature.
 */
export class AppCaches {
  private readonly held = new Map<() => unknown, unknown>();

  /** This app's instance of a feature's state, created by `create` on first use. */
  of<T>(create: () => T): T {
    if (!this.held.has(create)) {
      this.held.set(create, create());
    }
    return this.held.get(create) as T;
  }
}

export function createAppCaches(): AppCaches {
  return new AppCaches();
}
