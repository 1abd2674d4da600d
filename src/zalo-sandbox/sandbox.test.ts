import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { mountZaloSandbox, type SandboxHandle } from './plugin.ts';

/**
 * Contract tests of the emulator against zalo-platform.md: every endpoint's happy path and documented errors,
 * with the webhook signature computed here independently.
 */
interface Received {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: Record<string, unknown>;
}

describe('Zalo sandbox', () => {
  let app: FastifyInstance;
  let receiver: FastifyInstance;
  let sandbox: SandboxHandle;
  let base: string;
  let received: Received[] = [];
  let receiverStatus = 200;
  const REDIRECT = 'https://motcua.test/api/zalo/oauth/callback';

  before(async () => {
    receiver = Fastify();
    receiver.addContentTypeParser('application/json', { parseAs: 'string' }, (_r, body, done) =>
      done(null, body),
    );
    receiver.post('/webhooks/zalo', async (request, reply) => {
      const raw = String(request.body);
      received.push({ headers: request.headers, raw, body: JSON.parse(raw) });
      return reply.status(receiverStatus).send('ok');
    });
    await receiver.listen({ port: 0, host: '127.0.0.1' });
    app = Fastify();
    sandbox = await mountZaloSandbox(app, {
      prefix: '/z',
      options: {
        webhookUrl: `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/webhooks/zalo`,
        receiptDelayMs: 20,
        timeScale: 0.0001,
      },
      redirectUri: () => REDIRECT,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await app.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await fetch(`${base}/sandbox/api/reset`, { method: 'POST' });
    received = [];
    receiverStatus = 200;
  });

  const o = () => sandbox.state.options;
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const tokenCall = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${base}/z/oauth/v4/oa/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: o().appSecret, ...headers },
      body: form(fields),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
  const tokens = async () =>
    (await fetch(`${base}/sandbox/api/tokens`, { method: 'POST' })).json() as Promise<{
      access_token: string;
      refresh_token: string;
    }>;
  const json = (path: string, token: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', access_token: token },
      body: JSON.stringify(body),
    }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { error: number; message: string; data?: Record<string, unknown> },
    }));
  const waitFor = async (predicate: () => boolean, ms = 3000) => {
    const until = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > until) {
        throw new Error('timed out');
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const statusData = {
    ten_cong_dan: 'Nguyễn Văn An',
    ma_ho_so: '000.00.01.H50-261126-0001',
    ten_thu_tuc: 'Cấp Giấy xác nhận',
    trang_thai: 'Đang xử lý',
  };

  describe('OAuth v4', () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');

    const authorise = async () => {
      const pageRes = await fetch(
        `${base}/z/oauth/v4/oa/permission?app_id=${o().appId}&redirect_uri=${encodeURIComponent(REDIRECT)}&code_challenge=${challenge}&state=xyz`,
      );
      assert.match(await pageRes.text(), /Cho phép/);
      const allow = await fetch(`${base}/z/oauth/v4/oa/permission/allow`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form({ redirect_uri: REDIRECT, code_challenge: challenge, state: 'xyz', decision: 'allow' }),
      });
      assert.equal(allow.status, 302);
      const location = new URL(allow.headers.get('location')!);
      assert.equal(location.origin + location.pathname, REDIRECT);
      assert.equal(location.searchParams.get('oa_id'), o().oaId);
      assert.equal(location.searchParams.get('state'), 'xyz');
      return location.searchParams.get('code')!;
    };

    it('exchanges a code with PKCE once, form-encoded with the secret_key header', async () => {
      const code = await authorise();
      const bad = await tokenCall({
        code,
        app_id: o().appId,
        grant_type: 'authorization_code',
        code_verifier: 'wrong',
      });
      assert.equal(bad.status, 200);
      assert.equal(bad.body.error_name, 'Invalid code verifier');
      const code2 = await authorise();
      const ok = await tokenCall({
        code: code2,
        app_id: o().appId,
        grant_type: 'authorization_code',
        code_verifier: verifier,
      });
      assert.equal(typeof ok.body.access_token, 'string');
      assert.equal(typeof ok.body.refresh_token, 'string');
      assert.equal(ok.body.expires_in, '90000');
      const again = await tokenCall({
        code: code2,
        app_id: o().appId,
        grant_type: 'authorization_code',
        code_verifier: verifier,
      });
      assert.equal(again.body.error_name, 'Invalid authorization code');
    });

    it('refuses a wrong app, redirect URI, secret key or a JSON body, with HTTP 200', async () => {
      const wrongApp = await fetch(
        `${base}/z/oauth/v4/oa/permission?app_id=1&redirect_uri=${encodeURIComponent(REDIRECT)}`,
      );
      assert.match(await wrongApp.text(), /-14002/);
      const wrongUri = await fetch(
        `${base}/z/oauth/v4/oa/permission?app_id=${o().appId}&redirect_uri=https%3A%2F%2Fevil.test%2Fcb`,
      );
      assert.match(await wrongUri.text(), /-14003/);
      const { refresh_token } = await tokens();
      const noSecret = await tokenCall(
        { refresh_token, app_id: o().appId, grant_type: 'refresh_token' },
        { secret_key: 'nope' },
      );
      assert.equal(noSecret.status, 200);
      assert.equal(noSecret.body.error_name, 'Invalid secret key');
      const asJson = await fetch(`${base}/z/oauth/v4/oa/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', secret_key: o().appSecret },
        body: JSON.stringify({ refresh_token, app_id: o().appId, grant_type: 'refresh_token' }),
      });
      assert.equal(asJson.status, 200);
      assert.equal(((await asJson.json()) as { error_name: string }).error_name, 'Invalid request');
    });

    it('rotates refresh tokens and never accepts one twice', async () => {
      const first = await tokens();
      const refreshed = await tokenCall({
        refresh_token: first.refresh_token,
        app_id: o().appId,
        grant_type: 'refresh_token',
      });
      assert.equal(typeof refreshed.body.access_token, 'string');
      assert.notEqual(refreshed.body.refresh_token, first.refresh_token);
      const reused = await tokenCall({
        refresh_token: first.refresh_token,
        app_id: o().appId,
        grant_type: 'refresh_token',
      });
      assert.equal(reused.body.error, -14014);
      assert.equal(reused.body.access_token, undefined);
    });
  });

  describe('ZBS template message by phone', () => {
    it('accepts a valid send and delivers a signed receipt webhook with the tracking_id', async () => {
      const { access_token } = await tokens();
      const res = await json('/z/business/message/template', access_token, {
        phone: '84912345678',
        template_id: '419001',
        template_data: statusData,
        tracking_id: 'notif-1',
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.error, 0);
      assert.equal(typeof res.body.data?.msg_id, 'string');
      assert.deepEqual(res.body.data?.quota, { dailyQuota: '20000', remainingQuota: '19999' });
      await waitFor(() => received.some((r) => r.body.event_name === 'user_received_message'));
      const receipt = received.find((r) => r.body.event_name === 'user_received_message')!;
      assert.equal(receipt.headers['x-zevent-server'], 'ZNS');
      const expected = createHash('sha256')
        .update(o().appId + receipt.raw + String(receipt.body.timestamp) + o().oaSecretKey)
        .digest('hex');
      assert.equal(receipt.headers['x-zevent-signature'], `mac=${expected}`);
      const message = receipt.body.message as Record<string, string>;
      assert.equal(message.tracking_id, 'notif-1');
      assert.equal(message.msg_id, res.body.data?.msg_id);
      assert.equal((receipt.body.recipient as { id: string }).id, '84912345678');
    });

    it('returns the documented error codes, always with HTTP 200', async () => {
      const { access_token } = await tokens();
      await fetch(`${base}/sandbox/api/phones/0987654321`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ onZalo: false }),
      });
      const send = (body: Record<string, unknown>, token = access_token) =>
        json('/z/business/message/template', token, {
          phone: '0912345678',
          template_id: '419001',
          template_data: statusData,
          tracking_id: 't',
          ...body,
        });
      const cases: [Record<string, unknown>, number][] = [
        [{ phone: '12345' }, -108],
        [{ phone: '0987654321' }, -118],
        [{ template_id: '999' }, -109],
        [{ template_id: '419003', template_data: { ma_ho_so: 'x' } }, -131],
        [{ template_data: {} }, -111],
        [{ template_data: { ...statusData, trang_thai: undefined } }, -1122],
        [{ template_data: { ...statusData, trang_thai: 'x'.repeat(31) } }, -1121],
        [{ tracking_id: 'x'.repeat(49) }, -1124],
      ];
      for (const [body, code] of cases) {
        const res = await send(body);
        assert.equal(res.status, 200);
        assert.equal(res.body.error, code, JSON.stringify(body));
      }
      assert.equal((await send({}, 'not-a-token')).body.error, -124);
      await fetch(`${base}/sandbox/api/quota`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ daily: 1, usedToday: 1 }),
      });
      assert.equal((await send({})).body.error, -144);
      await fetch(`${base}/sandbox/api/quota`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ daily: 100, usedToday: 0, balanceVnd: 10 }),
      });
      assert.equal((await send({})).body.error, -115);
    });

    it('treats an expired access token as invalid (-124)', async () => {
      await fetch(`${base}/sandbox/api/options`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ accessTokenTtlSeconds: 0.05 }),
      });
      const { access_token } = await tokens();
      await new Promise((r) => setTimeout(r, 80));
      const res = await json('/z/business/message/template', access_token, {
        phone: '0912345678',
        template_id: '419001',
        template_data: statusData,
        tracking_id: 't',
      });
      assert.equal(res.body.error, -124);
    });
  });

  describe('OA API v3 and webhooks', () => {
    it('signs follow and text webhooks and opens the 7-day consultation window', async () => {
      const { access_token } = await tokens();
      await fetch(`${base}/sandbox/api/phones/0912345678/follow`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      await waitFor(() => received.some((r) => r.body.event_name === 'follow'));
      const followEvent = received.find((r) => r.body.event_name === 'follow')!;
      assert.equal(followEvent.headers['x-zevent-server'], 'OA OpenAPI');
      assert.equal(followEvent.headers['user-agent'], 'ZaloWebhook');
      const mac = createHash('sha256')
        .update(o().appId + followEvent.raw + String(followEvent.body.timestamp) + o().oaSecretKey)
        .digest('hex');
      assert.equal(followEvent.headers['x-zevent-signature'], `mac=${mac}`);
      const uid = (followEvent.body.follower as { id: string }).id;
      assert.match(uid, /^\d{19}$/);

      await fetch(`${base}/sandbox/api/phones/0912345678/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'tra cứu 000.00.01.H50-261126-0001' }),
      });
      await waitFor(() => received.some((r) => r.body.event_name === 'user_send_text'));
      const text = received.find((r) => r.body.event_name === 'user_send_text')!;
      assert.equal((text.body.message as { text: string }).text, 'tra cứu 000.00.01.H50-261126-0001');
      assert.equal((text.body.sender as { id: string }).id, uid);

      const cs = await json('/z/openapi/v3.0/oa/message/cs', access_token, {
        recipient: { user_id: uid },
        message: { text: 'Hồ sơ đang xử lý.' },
      });
      assert.equal(cs.body.error, 0);
      assert.equal(cs.body.data?.user_id, uid);
      assert.equal(
        (
          await json('/z/openapi/v3.0/oa/message/cs', access_token, {
            recipient: { user_id: uid },
            message: { text: 'x'.repeat(2001) },
          })
        ).body.error,
        -201,
      );

      const user = sandbox.state.users.get(uid)!;
      user.lastInteractionAt = Date.now() - 8 * 86_400_000;
      assert.equal(
        (
          await json('/z/openapi/v3.0/oa/message/cs', access_token, {
            recipient: { user_id: uid },
            message: { text: 'Muộn rồi' },
          })
        ).body.error,
        -230,
      );
      const template = await json('/z/openapi/v3.0/oa/message/template', access_token, {
        user_id: uid,
        template_id: '419001',
        template_data: statusData,
      });
      assert.equal(template.body.error, 0, 'templates by UID are not bound to the window');

      const detail = await fetch(
        `${base}/z/openapi/v3.0/oa/user/detail?data=${encodeURIComponent(JSON.stringify({ user_id: uid }))}`,
        { headers: { access_token } },
      );
      const detailBody = (await detail.json()) as {
        data: { user_is_follower: boolean; user_last_interaction_date: string };
      };
      assert.equal(detailBody.data.user_is_follower, true);
      assert.match(detailBody.data.user_last_interaction_date, /^\d{2}\/\d{2}\/\d{4}$/);
      assert.equal(
        (
          await json('/z/openapi/v3.0/oa/message/cs', 'bad', {
            recipient: { user_id: uid },
            message: { text: 'x' },
          })
        ).body.error,
        -216,
      );
      await fetch(`${base}/sandbox/api/options`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ accessTokenTtlSeconds: 0.05 }),
      });
      const short = await tokens();
      await new Promise((r) => setTimeout(r, 80));
      assert.equal(
        (
          await json('/z/openapi/v3.0/oa/message/template', short.access_token, {
            user_id: uid,
            template_id: '419001',
            template_data: statusData,
          })
        ).body.error,
        -220,
      );
    });

    it('retries a webhook on non-200 with num_retry', async () => {
      receiverStatus = 500;
      await fetch(`${base}/sandbox/api/phones/0912345678/follow`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      await waitFor(() => received.length >= 3);
      receiverStatus = 200;
      await waitFor(() => sandbox.state.webhooks.at(-1)?.status === 'delivered');
      assert.equal(received[0]!.headers.num_retry, undefined);
      assert.equal(received[1]!.headers.num_retry, '1');
      assert.equal(received[2]!.headers.num_retry, '2');
      assert.equal(received[0]!.raw, received[2]!.raw, 'a retry resends the same signed body');
    });
  });

  describe('fault injection and counters', () => {
    it('injects an error for the next N calls, HTTP 500 and latency, and counts everything', async () => {
      const { access_token } = await tokens();
      const send = () =>
        json('/z/business/message/template', access_token, {
          phone: '0912345678',
          template_id: '419001',
          template_data: statusData,
          tracking_id: 't',
        });
      const put = (fault: unknown) =>
        fetch(`${base}/sandbox/api/faults/zbs.message.template`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(fault),
        });
      await put({ errorCode: -100, remaining: 2 });
      assert.equal((await send()).body.error, -100);
      assert.equal((await send()).body.error, -100);
      assert.equal((await send()).body.error, 0);
      await put({ http500: true, remaining: 1 });
      const failed = await fetch(`${base}/z/business/message/template`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', access_token },
        body: '{}',
      });
      assert.equal(failed.status, 500);
      await put({ latencyMs: 150, remaining: 1, errorCode: -100 });
      const started = Date.now();
      await send();
      assert.ok(Date.now() - started >= 140);
      const state = (await (await fetch(`${base}/sandbox/api/state`)).json()) as {
        counters: Record<string, { calls: number; rejections: number }>;
      };
      assert.deepEqual(state.counters['zbs.message.template'], { calls: 5, rejections: 4 });
    });
  });
});
