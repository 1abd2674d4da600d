import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';

/**
 * The folders under src/ are features; this test keeps them from growing new tangles. It reads the relative
 * imports of every non-test file (no database needed) and checks the rules of ARCHITECTURE.md:
 * - the Zalo sandbox is mounted by the app module only, never imported by product code;
 * - intake and the connector wake the background lanes through src/jobs/wake.ts, not by importing notification
 *   planning or the SMS/e-mail policy;
 * - src/jobs and src/operations are platform layers: they import no feature (the app modules hand them the
 *   features' lanes, scheduled items and health checks);
 * - two features import each other only when the pair is in KNOWN_MUTUAL below. The list is a ratchet: a new
 *   pair fails, and so does a listed pair that is gone (remove it from the list, so it cannot come back).
 */

const SRC = 'src';

/** Modules every feature may use: they are the shared kernel, not features. */
function isShared(file: string): boolean {
  const [top] = file.split('/');
  if (top === 'contracts' || top === 'db' || top === 'test-support') {
    return true;
  }
  if (top === 'http') {
    return file !== 'http/server.ts';
  }
  // src/*.ts: config, errors, logger, app context (main.ts, app-routes.ts and app-background.ts wire everything
  // together).
  return !file.includes('/') && !APP_MODULES.has(file);
}

/**
 * The modules that wire every feature together: they may import any feature. app-background.ts lists the
 * features' lanes, job tasks and scheduled items, so that src/jobs (the mechanism) imports none of them.
 */
const APP_MODULES = new Set([
  'main.ts',
  'app-routes.ts',
  'app-background.ts',
  'app-zalo-events.ts',
  'http/server.ts',
]);

function featureOf(file: string): string {
  return file.includes('/') ? (file.split('/')[0] ?? file) : '(root)';
}

async function importsOf(): Promise<Array<{ from: string; to: string }>> {
  const edges: Array<{ from: string; to: string }> = [];
  const entries = await readdir(SRC, { recursive: true, withFileTypes: true });
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith('.ts') || e.name.endsWith('.test.ts')) {
      continue;
    }
    const full = path.join(e.parentPath, e.name);
    const from = path.relative(SRC, full);
    const text = await readFile(full, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const to = path.relative(SRC, path.join(path.dirname(full), m[1] ?? ''));
      edges.push({ from, to });
    }
  }
  return edges;
}

/** Pairs of features that import each other, as "a <-> b" with sorted names. */
function mutualPairs(edges: Array<{ from: string; to: string }>): Set<string> {
  const uses = new Set(edges.map((e) => `${featureOf(e.from)} -> ${featureOf(e.to)}`));
  const mutual = new Set<string>();
  for (const use of uses) {
    const [a, b] = use.split(' -> ') as [string, string];
    if (a !== b && uses.has(`${b} -> ${a}`)) {
      mutual.add([a, b].sort().join(' <-> '));
    }
  }
  return mutual;
}

/**
 * Pairs of features that still import each other (found when this test was written; each needs a public entry
 * or a move to go). Sorted names, joined by " <-> ".
 */
const KNOWN_MUTUAL = new Set<string>([]);

describe('feature boundaries', () => {
  it('imports the Zalo sandbox only from the app module (and the test support)', async () => {
    const offenders = (await importsOf())
      .filter((e) => e.to.startsWith('zalo-sandbox/') && featureOf(e.from) !== 'zalo-sandbox')
      .filter((e) => !APP_MODULES.has(e.from) && featureOf(e.from) !== 'test-support')
      .map((e) => `${e.from} -> ${e.to}`);
    assert.deepEqual(offenders, []);
  });

  it('lets intake and the connector wake the lanes without importing planning or the fallback policy', async () => {
    const offenders = (await importsOf())
      .filter((e) => ['dossiers', 'connector'].includes(featureOf(e.from)))
      .filter((e) => /^(notifications\/(plan-|status-change)|fallback\/|sms\/|email\/)/.test(e.to))
      .map((e) => `${e.from} -> ${e.to}`);
    assert.deepEqual(offenders, []);
  });

  it('keeps src/jobs and src/operations platform layers that import no feature', async () => {
    // Features use them (lanes, wake-ups, alerts, metrics); the features' lanes, scheduled items, health checks
    // and status page parts are given to them by the app modules. Operations sends its alert e-mails through
    // a leaf service, which imports neither layer.
    const allowed = new Set(['jobs', 'operations', 'email/send-email.ts']);
    const offenders = (await importsOf())
      .filter((e) => ['jobs', 'operations'].includes(featureOf(e.from)) && !isShared(e.to))
      .filter((e) => !allowed.has(featureOf(e.to)) && !allowed.has(e.to))
      .map((e) => `${e.from} -> ${e.to}`);
    assert.deepEqual(offenders, []);
  });

  it('has no pair of features importing each other beyond the known list', async () => {
    const edges = (await importsOf()).filter(
      (e) => !APP_MODULES.has(e.from) && !isShared(e.to) && !isShared(e.from),
    );
    const mutual = mutualPairs(edges);
    const added = [...mutual].filter((p) => !KNOWN_MUTUAL.has(p)).sort();
    const gone = [...KNOWN_MUTUAL].filter((p) => !mutual.has(p)).sort();
    assert.deepEqual({ added, gone }, { added: [], gone: [] });
  });

  it('keeps the shared kernel free of features (but the request hooks, which read auth/)', async () => {
    // The pair check leaves the kernel out, so a kernel module importing a feature would hide a tangle.
    // http/auth.ts authenticates every request with auth/'s sessions and API keys: the one exception.
    const offenders = (await importsOf())
      .filter((e) => isShared(e.from) && featureOf(e.from) !== 'test-support') // the tests' harness wires features
      .filter((e) => !isShared(e.to) && !APP_MODULES.has(e.to))
      .filter((e) => !(e.from === 'http/auth.ts' && e.to.startsWith('auth/')))
      .map((e) => `${e.from} -> ${e.to}`);
    assert.deepEqual(offenders, []);
  });

  it('can fail: a made-up import back from notifications into intake is a new pair', () => {
    const pairs = mutualPairs([
      { from: 'dossiers/receive-dossier.ts', to: 'jobs/wake.ts' },
      { from: 'notifications/plan-notifications.ts', to: 'dossiers/repo.ts' },
      { from: 'dossiers/transition-dossier.ts', to: 'notifications/plan-notifications.ts' },
    ]);
    assert.deepEqual([...pairs], ['dossiers <-> notifications']);
  });
});
