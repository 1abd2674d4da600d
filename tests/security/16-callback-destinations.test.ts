import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import {
  checkDestination,
  internalAddressReason,
  pinnedLookup,
} from '../../src/connector/callback-destination.ts';
import { sendDueCallbacks } from '../../src/connector/callback-lane.ts';
import { exchange } from '../../src/http/outbound.ts';
import { createTestApp, type TestApp } from '../../src/test-support/app.ts';
import { startCallbackReceiver } from '../../src/test-support/callback-receiver.ts';
import { buildAgency, buildApiKey, buildProcedure } from '../../src/test-support/factories.ts';
import { seal } from '../../src/zalo/index.ts';

/**
 * Item 16: a province's API key chose any callback URL, so our server could be made to call its own loopback,
 * the private network or the cloud metadata service (server-side request forgery). With
 * CALLBACK_ALLOW_PRIVATE_NETWORKS off (production's default) such destinations are refused at subscription and
 * at each delivery, the connection goes to the address checked, and redirects are not followed.
 */
describe('attack: callbacks to internal addresses', () => {
  let t: TestApp;
  let key: Awaited<ReturnType<typeof buildApiKey>>;
  let agencyId: number;
  let dossierId: number;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  const CODE = '000.00.21.H52-260309-0001';
  const api = (method: 'POST' | 'PUT', url: string, payload: object) =>
    t.server.inject({ method, url, headers: { authorization: key.authorization }, payload });

  before(async () => {
    t = await createTestApp({
      env: { CALLBACK_ALLOW_PRIVATE_NETWORKS: 'false', CALLBACK_TIMEOUT_MS: '1000' },
    });
    receiver = await startCallbackReceiver();
    const agency = await buildAgency(t.app, { code: '000.00.21.H52', deskMode: 'connected' });
    agencyId = agency.id;
    key = await buildApiKey(t.app, agencyId);
    const procedureCode = (await buildProcedure(t.app, [agencyId])).code;
    const put = await api('PUT', `/api/v1/dossiers/${CODE}`, {
      procedureCode,
      receivedAt: '2026-03-09T08:00:00+07:00',
      applicant: { fullName: 'Lê Văn Cường', phone: '0912000111' },
    });
    assert.equal(put.statusCode, 201, put.body);
    dossierId = put.json().id;
  });
  after(async () => {
    await receiver.close();
    await t.close();
  });

  it('knows internal addresses in every spelling, and public ones', () => {
    for (const ip of [
      '127.0.0.1',
      '127.1.2.3',
      '10.0.0.5',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '255.255.255.255',
      '::1',
      '::',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a9fe:a9fe',
      '64:ff9b::a9fe:a9fe',
      '2002:0a00:0001::1',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1%eth0',
      'ff02::1',
    ]) {
      assert.ok(internalAddressReason(ip), `${ip} is internal`);
    }
    for (const ip of [
      '8.8.8.8',
      '1.1.1.1',
      '172.32.0.1',
      '100.128.0.1',
      '2606:4700::1111',
      '::ffff:8.8.8.8',
    ]) {
      assert.equal(internalAddressReason(ip), null, `${ip} is public`);
    }
  });

  it('refuses internal destinations at subscription, literal or by a name that resolves to one', async () => {
    for (const url of [
      receiver.url,
      'https://169.254.169.254/latest/meta-data/',
      'https://[::1]/hook',
      'https://[::ffff:10.0.0.1]/hook',
      'https://localhost/hook',
      'http://0.0.0.0:8080/',
    ]) {
      const res = await api('POST', '/api/v1/callbacks', { url, events: ['notification.sent'] });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      const body = res.json();
      assert.equal(body.error, 'invalid_input');
      assert.match(JSON.stringify(body), /public address|công khai/);
    }
    const count = await t.app.db
      .selectFrom('callback_subscription')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
  });

  it('refuses, unconnected, a delivery whose host is or now resolves to an internal address', async () => {
    // Subscriptions that got past the first check (made before it existed, or a name that resolved to a
    // public address then and to an internal one now: DNS rebinding).
    const sub = async (url: string) =>
      (
        await t.app.db
          .insertInto('callback_subscription')
          .values({
            agency_id: agencyId,
            api_key_id: key.id,
            url,
            events: sql<string[]>`array['notification.sent']::text[]`,
            secret_enc: seal(t.app.config.secrets.encryptionKey, 'whsec_test'),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const loopback = await sub(receiver.url);
    const byName = await sub(receiver.url.replace('127.0.0.1', 'localhost'));
    const metadata = await sub('http://169.254.169.254/latest/meta-data/');
    await sql`select record_integration_event(${dossierId}, 'notification.sent', '{}'::jsonb)`.execute(
      t.app.db,
    );
    // Until each was tried once (a delivery waits for older transactions, maybe another test's, to end).
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      while ((await sendDueCallbacks(t.app)) > 0) {}
      const untried = await t.app.db
        .selectFrom('callback_delivery')
        .select('id')
        .where('attempts', '=', 0)
        .execute();
      if (untried.length === 0) {
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(receiver.calls.length, 0, 'no connection was made');
    const rows = await t.app.db
      .selectFrom('callback_delivery')
      .select(['subscription_id', 'state', 'attempts', 'last_status', 'last_error', 'next_attempt_at'])
      .orderBy('subscription_id')
      .execute();
    const why = (id: number) => rows.find((r) => r.subscription_id === id)!;
    for (const id of [loopback, byName, metadata]) {
      assert.equal(why(id).state, 'pending', 'a failed attempt, retried with backoff');
      assert.equal(why(id).attempts, 1);
      assert.equal(why(id).last_status, null);
      assert.ok(why(id).next_attempt_at);
    }
    assert.match(String(why(loopback).last_error), /^not sent: 127\.0\.0\.1: loopback/);
    assert.match(
      String(why(byName).last_error),
      /^not sent: localhost resolves to (127\.0\.0\.1|::1): loopback/,
    );
    assert.match(String(why(metadata).last_error), /169\.254\.169\.254: link-local \/ cloud metadata/);
  });

  it('connects to the address checked, not to a second DNS answer', async () => {
    const fakeDns = async () => [{ address: '127.0.0.1', family: 4 as const }];
    // With the check on, the checked resolver's answer is refused whatever the system's DNS would say.
    await assert.rejects(
      checkDestination('https://callbacks.example.net/hook', false, fakeDns),
      /callbacks\.example\.net resolves to 127\.0\.0\.1: loopback/,
    );
    await assert.rejects(
      checkDestination('https://x.example.net/', false, async () => [
        { address: '93.184.215.14', family: 4 },
        { address: '10.1.2.3', family: 4 },
      ]),
      /resolves to 10\.1\.2\.3: private network/,
      'one internal address among several is enough',
    );
    // A resolver that does not answer is a refusal within the callback's timeout, not a stuck sender.
    await assert.rejects(
      checkDestination('https://slow.example.net/', false, () => new Promise(() => {}), 50),
      /cannot resolve slow\.example\.net: timeout/,
    );
    // The pinned lookup: a name the system cannot resolve reaches the address it was pinned to.
    const port = new URL(receiver.url).port;
    const before = receiver.calls.length;
    const answer = await exchange(
      `http://callbacks.invalid:${port}/hooks/motcua`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
        lookup: pinnedLookup({ address: '127.0.0.1', family: 4 }),
      },
      2000,
    );
    assert.equal(answer.status, 200);
    assert.equal(receiver.calls.length, before + 1);
  });

  it('does not follow a redirect to an internal address', async () => {
    let followed = 0;
    const target = http.createServer((_req, res) => {
      followed++;
      res.end('secret');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const redirector = http.createServer((_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${(target.address() as AddressInfo).port}/` });
      res.end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    try {
      const answer = await exchange(
        `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/`,
        { method: 'POST', headers: {}, body: '{}' },
        2000,
      );
      assert.equal(answer.status, 302, 'the redirect is the answer: a failed delivery');
      assert.equal(followed, 0);
    } finally {
      redirector.close();
      target.close();
    }
  });
});
