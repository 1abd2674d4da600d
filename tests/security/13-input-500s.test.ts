import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SANDBOX_CREDENTIALS } from '../../src/config.ts';
import { deskFixture, type LiveServer, liveLogin, request, startLiveServer } from './support.ts';

/** A JSON object nested `depth` levels with `leaf` at the bottom. */
function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) {
    value = { a: value };
  }
  return value;
}

/**
 * Item 13: input that reached PostgreSQL and failed there with a 500: ids beyond int4, a cursor with a huge
 * number, a foreign key to a missing agency, a webhook body nested 40 levels with U+0000 at the bottom. Each is
 * now a 4xx in the error shape.
 */
describe('attack: input that used to crash a statement', () => {
  let t: LiveServer;
  let fixture: Awaited<ReturnType<typeof deskFixture>>;
  let cookie: string;

  before(async () => {
    t = await startLiveServer();
    fixture = await deskFixture(t);
    cookie = await liveLogin(t.port, fixture.admin.username, fixture.admin.password);
  });
  after(() => t.close());

  const assertClientError = (res: { status: number; body: string }, what: string) => {
    assert.ok(res.status >= 400 && res.status < 500, `${what}: ${res.status} ${res.body}`);
    const body = JSON.parse(res.body) as Record<string, unknown>;
    for (const key of ['error', 'message', 'userMessage', 'details']) {
      assert.ok(key in body, `${what}: ${key} in ${res.body}`);
    }
  };

  it('answers 4xx to ids beyond int4', async () => {
    for (const [method, path, body] of [
      ['PATCH', '/api/users/2147483648', { fullName: 'Tên Mới' }],
      ['PATCH', '/api/users/99999999999999999999', { fullName: 'Tên Mới' }],
      ['DELETE', '/api/api-keys/2147483648', undefined],
      ['POST', '/api/notifications/2147483648/retry', {}],
      [
        'POST',
        '/api/users',
        {
          username: 'nv.x',
          fullName: 'X Y',
          role: 'viewer',
          agencyId: 2147483648,
          password: 'Hoa-Sen-2026-x',
        },
      ],
      ['POST', '/api/api-keys', { agencyId: 2147483648, name: 'Hệ thống' }],
    ] as const) {
      const res = await request(t.port, path, { method, headers: { cookie }, body });
      assertClientError(res, `${method} ${path}`);
    }
  });

  it('answers 4xx to a cursor with a huge number', async () => {
    for (const cursor of ['999999999999999.9999999999', '1.2147483648', '8640000000000001.1']) {
      const res = await request(t.port, `/api/v1/dossiers?cursor=${cursor}`, {
        headers: { authorization: fixture.key.authorization },
      });
      assertClientError(res, cursor);
    }
  });

  it('answers 4xx to a reference to a missing agency', async () => {
    const moved = await request(t.port, `/api/users/${fixture.desk.id}`, {
      method: 'PATCH',
      headers: { cookie },
      body: { agencyId: 987654 },
    });
    assertClientError(moved, 'PATCH agencyId');
    const key = await request(t.port, '/api/api-keys', {
      headers: { cookie },
      body: { agencyId: 987654, name: 'Hệ thống' },
    });
    assertClientError(key, 'POST api-keys');
  });

  it('answers 4xx to a signed webhook nested 40 levels with U+0000 inside', async () => {
    const timestamp = String(Date.now());
    const raw = JSON.stringify({ event_name: 'user_send_text', timestamp, message: nested(40, 'a\u0000b') });
    const mac = createHash('sha256')
      .update(SANDBOX_CREDENTIALS.appId + raw + timestamp + SANDBOX_CREDENTIALS.oaSecretKey)
      .digest('hex');
    const res = await request(t.port, '/webhooks/zalo', {
      headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` },
      body: raw,
    });
    assertClientError(res, 'webhook');
    // And through any JSON route.
    const intake = await request(t.port, '/api/v1/dossiers', {
      headers: { authorization: fixture.key.authorization },
      body: { procedureCode: fixture.procedure.code, deep: nested(40, 'a\u0000b') },
    });
    assertClientError(intake, 'intake');
  });
});
