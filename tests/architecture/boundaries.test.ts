import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

/**
 * The folders under src/ are features; this test keeps them apart. It reads the relative imports of every
 * non-test file (no database needed) and checks the rules of ARCHITECTURE.md:
 * - a feature is used through its public entry, `src/<feature>/index.ts`, a list of re-exports from its own
 *   folder: whatever it does not export there is its own business;
 * - the shared kernel imports no feature (but the request hooks, which authenticate through auth/);
 * - src/jobs and src/operations are platform layers that import no feature (the app modules hand them the
 *   features' lanes, scheduled items and health checks);
 * - intake and the connector wake the background lanes without importing planning or the fallback policy;
 * - product code never imports the Zalo sandbox (the app module mounts it);
 * - no two features import each other, and no cycle of imports runs through features;
 * - every public entry loads on its own, so that no import order can read a binding before it is set.
 */

const SRC = 'src';

/** The shared kernel: contracts, database, HTTP helpers, test support and the src/*.ts modules. */
const KERNEL = new Set(['contracts', 'db', 'http', 'test-support']);

/**
 * The modules that wire the features together and may use any of them (through their entries): the process
 * entry, the routes, the background work (lanes, job tasks, scheduled items, health checks) and the Zalo
 * channel's parts (the sender's outcome handlers, the webhook events' handlers).
 */
const APP_MODULES = new Set([
  'main.ts',
  'app-routes.ts',
  'app-background.ts',
  'app-zalo.ts',
  'http/server.ts',
]);

/** The feature a file belongs to; undefined for the kernel and the app modules. */
function featureOf(file: string): string | undefined {
  const [top] = file.split('/');
  return file.includes('/') && top && !KERNEL.has(top) ? top : undefined;
}

function isKernel(file: string): boolean {
  return featureOf(file) === undefined && !APP_MODULES.has(file);
}

interface Import {
  from: string;
  to: string;
}

async function importsOf(): Promise<Import[]> {
  const edges: Import[] = [];
  const entries = await readdir(SRC, { recursive: true, withFileTypes: true });
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith('.ts') || e.name.endsWith('.test.ts')) {
      continue;
    }
    const full = path.join(e.parentPath, e.name);
    const from = path.relative(SRC, full);
    const text = await readFile(full, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      edges.push({ from, to: path.relative(SRC, path.join(path.dirname(full), m[1] ?? '')) });
    }
  }
  return edges;
}

/** "a -> b" for every feature a whose code imports feature b (app modules and the kernel left out). */
function featureUses(edges: Import[]): Map<string, Set<string>> {
  const uses = new Map<string, Set<string>>();
  for (const e of edges) {
    const [a, b] = [featureOf(e.from), featureOf(e.to)];
    if (a && b && a !== b && !APP_MODULES.has(e.from)) {
      uses.set(a, (uses.get(a) ?? new Set()).add(b));
    }
  }
  return uses;
}

/** Pairs of features that import each other, as "a <-> b" with sorted names. */
function mutualPairs(edges: Import[]): string[] {
  const uses = featureUses(edges);
  const pairs = new Set<string>();
  for (const [a, targets] of uses) {
    for (const b of targets) {
      if (uses.get(b)?.has(a)) {
        pairs.add([a, b].sort().join(' <-> '));
      }
    }
  }
  return [...pairs].sort();
}

/** The groups of features that reach each other through a cycle of imports (Tarjan's components). */
function cycles(edges: Import[]): string[][] {
  const uses = featureUses(edges);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v) ?? 0);
    stack.push(v);
    for (const w of uses.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (stack.includes(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group = stack.splice(stack.indexOf(v));
      if (group.length > 1) {
        groups.push(group.sort());
      }
    }
  };
  for (const v of uses.keys()) {
    if (!index.has(v)) {
      visit(v);
    }
  }
  return groups.sort();
}

describe('feature boundaries', () => {
  it('reaches another feature only through its public entry (src/<feature>/index.ts)', async () => {
    const offenders = (await importsOf())
      .filter((e) => !e.from.startsWith('test-support/'))
      .filter((e) => {
        const target = featureOf(e.to);
        return target !== undefined && target !== featureOf(e.from) && e.to !== `${target}/index.ts`;
      })
      .map((e) => `${e.from} -> ${e.to}`);
    assert.deepEqual(offenders, []);
  });

  it('keeps each public entry a list of re-exports from its own folder', async () => {
    const offenders: string[] = [];
    for (const feature of await featuresWithEntry()) {
      const text = await readFile(path.join(SRC, feature, 'index.ts'), 'utf8');
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const statement of code.split(';').map((s) => s.trim())) {
        if (statement && !/^export (type )?\{[^}]*\} from '\.\/[^']+'$/.test(statement)) {
          offenders.push(`${feature}/index.ts: ${statement.replace(/\s+/g, ' ').slice(0, 80)}`);
        }
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('keeps the shared kernel free of features (but the request hooks, which read auth/)', async () => {
    // The feature checks leave the kernel out, so a kernel module importing a feature would hide a tangle.
    // http/auth.ts authenticates every request with auth/'s sessions and API keys: the one exception.
    const offenders = (await importsOf())
      .filter((e) => isKernel(e.from) && !e.from.startsWith('test-support/')) // the tests' harness wires features
      .filter((e) => featureOf(e.to) !== undefined)
      .filter((e) => !(e.from === 'http/auth.ts' && e.to === 'auth/index.ts'))
      .map((e) => `${e.from} -> ${e.to}`);
    assert.deepEqual(offenders, []);
  });

  it('keeps src/jobs and src/operations platform layers that import no feature', async () => {
    // Features use them (lanes, wake-ups, alerts, metrics); the features' lanes, scheduled items, health checks
    // and status page parts are given to them by the app modules. Operations sends its alert e-mails through
    // e-mail, a leaf service that imports neither layer.
    const allowed = new Set(['jobs', 'operations', 'email']);
    const offenders = (await importsOf())
      .filter((e) => ['jobs', 'operations'].includes(featureOf(e.from) ?? ''))
      .filter((e) => featureOf(e.to) !== undefined && !allowed.has(featureOf(e.to) ?? ''))
      .map((e) => `${e.from} -> ${e.to}`);
    assert.deepEqual(offenders, []);
  });

  it('lets intake and the connector wake the lanes without importing planning or the fallback policy', async () => {
    const planning = new Set(['notifications', 'fallback', 'sms', 'email']);
    const offenders = (await importsOf())
      .filter((e) => ['dossiers', 'connector'].includes(featureOf(e.from) ?? ''))
      .filter((e) => planning.has(featureOf(e.to) ?? ''))
      .map((e) => `${e.from} -> ${e.to}`);
    assert.deepEqual(offenders, []);
  });

  it('imports the Zalo sandbox only from the app modules', async () => {
    const offenders = (await importsOf())
      .filter((e) => featureOf(e.to) === 'zalo-sandbox' && featureOf(e.from) !== 'zalo-sandbox')
      .filter((e) => !APP_MODULES.has(e.from) && !e.from.startsWith('test-support/'))
      .map((e) => `${e.from} -> ${e.to}`);
    assert.deepEqual(offenders, []);
  });

  it('has no two features importing each other, and no cycle', async () => {
    const edges = await importsOf();
    assert.deepEqual(mutualPairs(edges), []);
    assert.deepEqual(cycles(edges), []);
  });

  it('can fail: a made-up import back from notifications into intake is a pair and a cycle', () => {
    const edges = [
      { from: 'dossiers/receive-dossier.ts', to: 'jobs/index.ts' },
      { from: 'notifications/plan-notifications.ts', to: 'dossiers/index.ts' },
      { from: 'dossiers/transition-dossier.ts', to: 'notifications/index.ts' },
      { from: 'ratings/service.ts', to: 'zalo/index.ts' },
      { from: 'zalo/send-message.ts', to: 'fallback/index.ts' },
      { from: 'fallback/plan-fallback.ts', to: 'ratings/index.ts' },
    ];
    assert.deepEqual(mutualPairs(edges), ['dossiers <-> notifications']);
    assert.deepEqual(cycles(edges), [
      ['dossiers', 'notifications'],
      ['fallback', 'ratings', 'zalo'],
    ]);
  });

  it('loads every public entry on its own, whatever else was loaded before', async () => {
    // A process per entry: in a shared one the first import would decide the order of all the others.
    const run = promisify(execFile);
    const failures: string[] = [];
    const features = await featuresWithEntry();
    // Two at a time: the two cores are shared with another test file (a deployment test starts processes).
    for (let i = 0; i < features.length; i += 2) {
      await Promise.all(
        features.slice(i, i + 2).map((feature) =>
          run(
            process.execPath,
            ['--import', 'tsx', '--input-type=module', '-e', `await import('./src/${feature}/index.ts')`],
            { timeout: 120_000 },
          ).catch((err: { stderr?: string; message?: string }) => {
            const line = (err.stderr ?? '').split('\n').find((l) => /Error/.test(l));
            failures.push(`${feature}: ${line ?? err.message}`);
          }),
        ),
      );
    }
    assert.deepEqual(failures, []);
  });
});

async function featuresWithEntry(): Promise<string[]> {
  const folders = (await readdir(SRC, { withFileTypes: true })).filter((e) => e.isDirectory());
  const found: string[] = [];
  for (const folder of folders) {
    const has = await readFile(path.join(SRC, folder.name, 'index.ts'), 'utf8').then(
      () => true,
      () => false,
    );
    if (has && !KERNEL.has(folder.name)) {
      found.push(folder.name);
    }
  }
  return found.sort();
}
