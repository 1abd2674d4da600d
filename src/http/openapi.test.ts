import assert from 'node:assert/strict';
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
    for (const hidden of ['/healthz', '/readyz', '/webhooks/zalo', '/tra-cuu/{code}']) {
      assert.ok(!paths.includes(hidden), `${hidden} is not`);
    }
  });
});
