import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../test-support/app.ts';

/** The OpenAPI document at /docs: a schema it cannot render breaks the whole page, silently otherwise. */
describe('OpenAPI document', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('renders every documented route, and none of the hidden ones', async () => {
    const res = await t.server.inject({ url: '/docs/json' });
    assert.equal(res.statusCode, 200, res.body.slice(0, 500));
    const paths = Object.keys(res.json().paths as Record<string, unknown>);
    for (const path of [
      '/api/v1/dossiers',
      '/api/v1/dossiers/{code}/transitions',
      '/api/v1/dossiers/{code}/notifications',
      '/api/public/lookup',
      '/api/audit-events',
      '/webhooks/sms',
    ]) {
      assert.ok(paths.includes(path), `${path} is documented`);
    }
    for (const hidden of ['/healthz', '/readyz', '/webhooks/zalo', '/tra-cuu/{code}', '/sandbox/api/state']) {
      assert.ok(!paths.includes(hidden), `${hidden} is not`);
    }
  });

  it('is the committed docs/openapi.json (`npm run openapi` writes it)', async () => {
    const served = (await t.server.inject({ url: '/docs/json' })).json();
    const file = new URL('../../docs/openapi.json', import.meta.url);
    if (process.env.UPDATE_OPENAPI === '1') {
      await writeFile(file, `${JSON.stringify(served, null, 2)}\n`);
    }
    const committed = JSON.parse(await readFile(file, 'utf8'));
    assert.deepEqual(
      served,
      committed,
      'The API changed: run `npm run openapi`, review the difference in docs/openapi.json and commit it',
    );
  });

  it('refers only to schemas it defines', async () => {
    const text = (await t.server.inject({ url: '/docs/json' })).body;
    const schemas = Object.keys(JSON.parse(text).components?.schemas ?? {});
    const refs = new Set([...text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!));
    assert.ok(refs.size > 0, 'the error answers refer to ApiError');
    for (const ref of refs) {
      assert.ok(schemas.includes(ref), `${ref} is defined`);
    }
  });
});
