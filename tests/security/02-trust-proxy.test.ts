import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { fastifyTrustProxy } from '../../src/http/trust-proxy.ts';
import { buildOfficer } from '../../src/test-support/factories.ts';
import { deskFixture, type LiveServer, request, startLiveServer } from './support.ts';

/**
 * A reverse proxy as nginx's `proxy_add_x_forwarded_for` is: it appends the address it got the connection from
 * to whatever X-Forwarded-For the client sent.
 */
async function appendingProxy(targetPort: number): Promise<{ port: number; close(): Promise<void> }> {
  const proxy = http.createServer((req, res) => {
    const sent = req.headers['x-forwarded-for'];
    const forwarded = [sent, req.socket.remoteAddress].filter(Boolean).join(', ');
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: targetPort,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, 'x-forwarded-for': forwarded },
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}

/**
 * Item 2: TRUST_PROXY=1 used to trust every hop, so behind a proxy that appends to X-Forwarded-For the client
 * chose its own address: a fresh address for every wrong password (no lockout), or the victim's address (the
 * victim locked out). It is now a number of hops or a list of proxy addresses.
 */
describe('attack: a forged X-Forwarded-For behind a reverse proxy', () => {
  let t: LiveServer;
  let proxy: Awaited<ReturnType<typeof appendingProxy>>;
  let agencyId: number;

  before(async () => {
    t = await startLiveServer({ TRUST_PROXY: '1', LOGIN_MAX_FAILURES: '3' });
    proxy = await appendingProxy(t.port);
    agencyId = (await deskFixture(t)).agency.id;
  });
  after(async () => {
    await proxy.close();
    await t.close();
  });

  const login = (username: string, password: string, from: string, forgedFor?: string) =>
    request(proxy.port, '/api/auth/login', {
      body: { username, password },
      localAddress: from,
      headers: forgedFor ? { 'x-forwarded-for': forgedFor } : {},
    });

  it('locks the attacker out even when each attempt claims another address', async () => {
    const officer = await buildOfficer(t.app, agencyId);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await login(officer.username, 'sai-mat-khau-1', '127.0.0.2', `203.0.113.${i}`)).status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 429, 429, 429]);
    const audited = await t.app.db
      .selectFrom('audit_event')
      .select('ip')
      .where('action', '=', 'auth.login_failed')
      .where('target_id', '=', String(officer.id))
      .execute();
    assert.deepEqual(
      audited.map((a) => a.ip),
      ['127.0.0.2', '127.0.0.2', '127.0.0.2'],
      'the audit names the address the proxy saw',
    );
  });

  it('cannot lock another address out by claiming it', async () => {
    const officer = await buildOfficer(t.app, agencyId);
    for (let i = 0; i < 5; i++) {
      await login(officer.username, 'sai-mat-khau-1', '127.0.0.2', '127.0.0.3');
    }
    const victim = await login(officer.username, officer.password, '127.0.0.3');
    assert.equal(victim.status, 200, victim.body);
  });

  it('ignores X-Forwarded-For by default (no proxy)', async () => {
    const direct = await startLiveServer({ LOGIN_MAX_FAILURES: '2' });
    try {
      const officer = await buildOfficer(direct.app, (await deskFixture(direct)).agency.id);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await request(direct.port, '/api/auth/login', {
          body: { username: officer.username, password: 'sai-mat-khau-1' },
          headers: { 'x-forwarded-for': `198.51.100.${i}` },
        });
        statuses.push(res.status);
      }
      assert.deepEqual(statuses, [401, 401, 429]);
    } finally {
      await direct.close();
    }
  });

  it('takes proxy addresses and CIDRs, and refuses "trust every hop"', () => {
    const base = { NODE_ENV: 'test' };
    assert.equal(loadConfig({ ...base }).http.trustProxy, false);
    assert.equal(loadConfig({ ...base, TRUST_PROXY: '2' }).http.trustProxy, 2);
    assert.deepEqual(loadConfig({ ...base, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).http.trustProxy, [
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    // A hop count trusts the connection only when it comes from a loopback or private address: a client
    // reaching a public listener directly cannot pass its own X-Forwarded-For off as a proxy's.
    const hops = fastifyTrustProxy(1) as (address: string, hop: number) => boolean;
    assert.equal(hops('127.0.0.1', 0), true);
    assert.equal(hops('::ffff:10.1.2.3', 0), true);
    assert.equal(hops('203.0.113.9', 0), false);
    assert.equal(hops('198.51.100.1', 1), false);
    for (const bad of ['true', 'yes', '10.0.0.0/33', 'proxy.example']) {
      assert.throws(() => loadConfig({ ...base, TRUST_PROXY: bad }), ConfigError, bad);
    }
  });
});
