/**
 * What the officer app's first load costs, read from the build (web/dist, built by scripts/test.ts): the
 * scripts index.html starts (the entry, its imports, the intake screen preloaded by web/vite.config.ts) and
 * what must stay out of them. The cold intake screen's time is measured by `npx tsx bench/browser-only.ts`;
 * this test keeps the bytes it rests on from creeping back.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const DIST = path.resolve(import.meta.dirname, '../../web/dist');
const ASSETS = path.join(DIST, 'assets');

/** The brotli bytes of script a cold intake screen may need: 330 kB after the cuts of docs/benchmarks.md. */
const FIRST_LOAD_BROTLI_KB = 340;

/** The scripts a cold load of any screen fetches at once: index.html's script and modulepreload links. */
function firstLoadScripts(): string[] {
  const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
  return [...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="\/assets\/([^"]+\.js)"/g)].map(
    (m) => m[1]!,
  );
}

/** A chunk's static imports, followed: the code that runs before it can. */
function staticClosure(file: string, into = new Set<string>()): Set<string> {
  if (!into.has(file)) {
    into.add(file);
    const code = readFileSync(path.join(ASSETS, file), 'utf8');
    for (const m of code.matchAll(/(?:import|from)\s*"\.\/([^"]+\.js)"/g)) {
      staticClosure(m[1]!, into);
    }
  }
  return into;
}

const chunk = (prefix: string) => {
  const found = readdirSync(ASSETS).find((f) => f.startsWith(`${prefix}-`) && f.endsWith('.js'));
  assert.ok(found, `no ${prefix} chunk in web/dist/assets`);
  return found;
};

describe('the officer app first load', () => {
  it('preloads the intake screen and everything it imports with the entry', () => {
    const first = new Set(firstLoadScripts());
    const missing = [...staticClosure(chunk('IntakePage'))].filter((f) => !first.has(f));
    assert.deepEqual(missing, [], 'intake chunks requested only after the entry has run');
  });

  it('leaves zod, the success screen and the other screens out', () => {
    const first = firstLoadScripts();
    for (const file of first) {
      const code = readFileSync(path.join(ASSETS, file), 'utf8');
      // zod v4 names its classes with these strings, which minification keeps.
      assert.ok(!code.includes('"$ZodType"') && !code.includes('`$ZodType`'), `zod is in ${file}`);
    }
    for (const lazy of ['IntakeDone', 'result', 'DossierDetailPage', 'Chart', 'ProceduresPage']) {
      assert.ok(!first.includes(chunk(lazy)), `${lazy} is in the first load`);
    }
  });

  it(`sends at most ${FIRST_LOAD_BROTLI_KB} kB of scripts (brotli) for the intake screen`, () => {
    const needed = new Set([...firstLoadScripts(), ...staticClosure(chunk('IntakePage'))]);
    const bytes = [...needed].reduce((sum, f) => {
      const br = path.join(ASSETS, `${f}.br`);
      assert.ok(existsSync(br), `${f}.br missing: build with scripts/build.js`);
      return sum + statSync(br).size;
    }, 0);
    assert.ok(bytes / 1024 <= FIRST_LOAD_BROTLI_KB, `${(bytes / 1024).toFixed(1)} kB`);
  });
});
