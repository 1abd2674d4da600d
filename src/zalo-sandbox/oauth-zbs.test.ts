import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { REDIRECT, statusData, useSandboxHarness } from './test-harness.ts';

/**
 * Contract tests of the emulator against zalo-platform.md: OAuth v4 with PKCE and single-use refresh tokens,
 * and ZBS template messages by phone with their documented errors and signed receipts.
 */
describe('Zalo sandbox: OAuth and ZBS', () => {
  const h = useSandboxHarness();

  describe('OAuth v4', () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');

    const authorise = async () => {
      const pageRes = await fetch(
        `${h.base}/z/oauth/v4/oa/permission?app_id=${h.o().appId}&redirect_uri=${encodeURIComponent(REDIRECT)}&code_challenge=${challenge}&state=xyz`,
      );
      assert.match(await pageRes.text(), /Cho phép/);
      const allow = await fetch(`${h.base}/z/oauth/v4/oa/permission/allow`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: h.form({ redirect_uri: REDIRECT, code_challenge: challenge, state: 'xyz', decision: 'allow' }),
      });
      assert.equal(allow.status, 302);
      const location = new URL(allow.headers.get('location')!);
      assert.equal(location.origin + location.pathname, REDIRECT);
      assert.equal(location.searchParams.get('oa_id'), h.o().oaId);
      assert.equal(location.searchParams.get('state'), 'xyz');
      return location.searchParams.get('code')!;
    };

    it('exchanges a code with PKCE once, form-encoded with the secret_key header', async () => {
      const code = await authorise();
      const bad = await h.tokenCall({
        code,
        app_id: h.o().appId,
        grant_type: 'authorization_code',
        code_verifier: 'wrong',
      });
      assert.equal(bad.status, 200);
      assert.equal(bad.body.error_name, 'Invalid code verifier');
      const code2 = await authorise();
      const ok = await h.tokenCall({
        code: code2,
        app_id: h.o().appId,
        grant_type: 'authorization_code',
        code_verifier: verifier,
      });
      assert.equal(typeof ok.body.access_token, 'string');
      assert.equal(typeof ok.body.refresh_token, 'string');
      assert.equal(ok.body.expires_in, '90000');
      const again = await h.tokenCall({
        code: code2,
        app_id: h.o().appId,
        grant_type: 'authorization_code',
        code_verifier: verifier,
      });
      assert.equal(again.body.error_name, 'Invalid authorization code');
    });

    it('refuses a wrong app, redirect URI, secret key or a JSON body, with HTTP 200', async () => {
      const wrongApp = await fetch(
        `${h.base}/z/oauth/v4/oa/permission?app_id=1&redirect_uri=${encodeURIComponent(REDIRECT)}`,
      );
      assert.match(await wrongApp.text(), /-14002/);
      const wrongUri = await fetch(
        `${h.base}/z/oauth/v4/oa/permission?app_id=${h.o().appId}&redirect_uri=https%3A%2F%2Fevil.test%2Fcb`,
      );
      assert.match(await wrongUri.text(), /-14003/);
      const { refresh_token } = await h.tokens();
      const noSecret = await h.tokenCall(
        { refresh_token, app_id: h.o().appId, grant_type: 'refresh_token' },
        { secret_key: 'nope' },
      );
      assert.equal(noSecret.status, 200);
      assert.equal(noSecret.body.error_name, 'Invalid secret key');
      const asJson = await fetch(`${h.base}/z/oauth/v4/oa/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', secret_key: h.o().appSecret },
        body: JSON.stringify({ refresh_token, app_id: h.o().appId, grant_type: 'refresh_token' }),
      });
      assert.equal(asJson.status, 200);
      assert.equal(((await asJson.json()) as { error_name: string }).error_name, 'Invalid request');
    });

    it('rotates refresh tokens and never accepts one twice', async () => {
      const first = await h.tokens();
      const refreshed = await h.tokenCall({
        refresh_token: first.refresh_token,
        app_id: h.o().appId,
        grant_type: 'refresh_token',
      });
      assert.equal(typeof refreshed.body.access_token, 'string');
      assert.notEqual(refreshed.body.refresh_token, first.refresh_token);
      const reused = await h.tokenCall({
        refresh_token: first.refresh_token,
        app_id: h.o().appId,
        grant_type: 'refresh_token',
      });
      assert.equal(reused.body.error, -14014);
      assert.equal(reused.body.access_token, undefined);
    });
  });

  describe('ZBS template message by phone', () => {
    it('accepts a valid send and delivers a signed receipt webhook with the tracking_id', async () => {
      const { access_token } = await h.tokens();
      const res = await h.json('/z/business/message/template', access_token, {
        phone: '84912345678',
        template_id: '419001',
        template_data: statusData,
        tracking_id: 'notif-1',
      });
      assert.equal(res.status, 200);
      assert.equal(res.body.error, 0);
      assert.equal(typeof res.body.data?.msg_id, 'string');
      assert.deepEqual(res.body.data?.quota, { dailyQuota: '20000', remainingQuota: '19999' });
      await h.waitFor(() => h.received.some((r) => r.body.event_name === 'user_received_message'));
      const receipt = h.received.find((r) => r.body.event_name === 'user_received_message')!;
      assert.equal(receipt.headers['x-zevent-server'], 'ZNS');
      const expected = createHash('sha256')
        .update(h.o().appId + receipt.raw + String(receipt.body.timestamp) + h.o().oaSecretKey)
        .digest('hex');
      assert.equal(receipt.headers['x-zevent-signature'], `mac=${expected}`);
      const message = receipt.body.message as Record<string, string>;
      assert.equal(message.tracking_id, 'notif-1');
      assert.equal(message.msg_id, res.body.data?.msg_id);
      assert.equal((receipt.body.recipient as { id: string }).id, '84912345678');
    });

    it('returns the documented error codes, always with HTTP 200', async () => {
      const { access_token } = await h.tokens();
      await fetch(`${h.base}/sandbox/api/phones/0987654321`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ onZalo: false }),
      });
      const send = (body: Record<string, unknown>, token = access_token) =>
        h.json('/z/business/message/template', token, {
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
      await fetch(`${h.base}/sandbox/api/quota`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ daily: 1, usedToday: 1 }),
      });
      assert.equal((await send({})).body.error, -144);
      await fetch(`${h.base}/sandbox/api/quota`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ daily: 100, usedToday: 0, balanceVnd: 10 }),
      });
      assert.equal((await send({})).body.error, -115);
    });

    it('treats an expired access token as invalid (-124)', async () => {
      await fetch(`${h.base}/sandbox/api/options`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        // A lifetime of zero: the token is expired as soon as it is issued (no wait for it to run out).
        body: JSON.stringify({ accessTokenTtlSeconds: 0 }),
      });
      const { access_token } = await h.tokens();
      const res = await h.json('/z/business/message/template', access_token, {
        phone: '0912345678',
        template_id: '419001',
        template_data: statusData,
        tracking_id: 't',
      });
      assert.equal(res.body.error, -124);
    });
  });
});
