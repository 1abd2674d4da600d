import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type LiveServer, request, startLiveServer } from './support.ts';

/**
 * Item 12: authentication ran after body validation, so an anonymous request with a bad body got a 400 listing
 * the fields the route expects (a map of the API for anyone) instead of 401.
 */
describe('attack: probing routes without signing in', () => {
  let t: LiveServer;

  before(async () => {
    t = await startLiveServer();
  });
  after(() => t.close());

  it('answers 401 before reading or validating the body', async () => {
    const probes: [string, string, object][] = [
      ['POST', '/api/users', { username: 1 }],
      ['PATCH', '/api/users/1', { role: 'god' }],
      ['POST', '/api/dossiers', { applicant: 'x' }],
      ['POST', '/api/dossiers/000.00.01.H50-260309-0001/transitions', { to: 'x' }],
      ['PUT', '/api/admin/fallback-policy', { channels: 5 }],
      ['POST', '/api/v1/dossiers', { procedureCode: 5 }],
    ];
    for (const [method, path, body] of probes) {
      const res = await request(t.port, path, { method, body });
      assert.equal(res.status, 401, `${method} ${path}: ${res.body}`);
      assert.equal(res.json<{ details: unknown }>().details, null, 'no field details');
    }
  });

  it('answers 401 to an anonymous upload without waiting for its body', async () => {
    const res = await request(t.port, '/api/zalo/oa-qr', {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: Buffer.alloc(900 * 1024),
    });
    assert.equal(res.status, 401);
  });
});
