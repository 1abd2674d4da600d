import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RouteOptions } from 'fastify';
import { ZPublicLookup } from '../contracts/lookup.ts';
import { createTestApp, type TestApp } from '../test-support/app.ts';

/**
 * Every /api route declares what it answers (src/contracts), success and error: the serializer then sends only
 * declared fields (the public look-up's privacy rests on it) and the OpenAPI document is complete.
 */
describe('API contracts', () => {
  let t: TestApp;
  const routes: RouteOptions[] = [];
  before(async () => {
    // Every optional route family mounted: the mail catcher, the sandboxes, /metrics.
    t = await createTestApp({
      onRoute: (route) => routes.push(route),
      env: { METRICS_TOKEN: 'x'.repeat(32) },
    });
  });
  after(() => t.close());

  it('sees the routes (the walk itself works)', () => {
    assert.ok(routes.some((r) => r.url === '/api/public/lookup'));
    assert.ok(routes.filter((r) => r.url.startsWith('/api/')).length > 40);
  });

  it('declares a success and the error answers on every /api route', () => {
    const missing: string[] = [];
    for (const route of routes.filter((r) => r.url.startsWith('/api/'))) {
      const name = `${[route.method].flat().join(',')} ${route.url}`;
      const response = (route.schema as { response?: Record<string, unknown> } | undefined)?.response ?? {};
      const statuses = Object.keys(response);
      if (!statuses.some((s) => /^[23]\d\d$|^[23]xx$/.test(s))) {
        missing.push(`${name}: no success response`);
      }
      if (!statuses.includes('4xx') || !statuses.includes('5xx')) {
        missing.push(`${name}: no error responses`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('answers the public look-up through its contract (its privacy rests on that serializer)', () => {
    const lookups = routes.filter((r) => r.url === '/api/public/lookup');
    assert.ok(lookups.length >= 2);
    for (const route of lookups) {
      assert.equal((route.schema as { response: Record<string, unknown> }).response['200'], ZPublicLookup);
    }
  });
});
