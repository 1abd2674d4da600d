import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { statusData, useSandboxHarness } from './test-harness.ts';

/**
 * Contract tests of the emulator against zalo-platform.md: OA API v3, signed webhooks (the signature computed
 * here independently) with retries, fault injection and counters.
 */
describe('Zalo sandbox: OA API, webhooks and faults', () => {
  const h = useSandboxHarness();

  describe('OA API v3 and webhooks', () => {
    it('signs follow and text webhooks and opens the 7-day consultation window', async () => {
      const { access_token } = await h.tokens();
      await fetch(`${h.base}/sandbox/api/phones/0912345678/follow`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      await h.waitFor(() => h.received.some((r) => r.body.event_name === 'follow'));
      const followEvent = h.received.find((r) => r.body.event_name === 'follow')!;
      assert.equal(followEvent.headers['x-zevent-server'], 'OA OpenAPI');
      assert.equal(followEvent.headers['user-agent'], 'ZaloWebhook');
      const mac = createHash('sha256')
        .update(h.o().appId + followEvent.raw + String(followEvent.body.timestamp) + h.o().oaSecretKey)
        .digest('hex');
      assert.equal(followEvent.headers['x-zevent-signature'], `mac=${mac}`);
      const uid = (followEvent.body.follower as { id: string }).id;
      assert.match(uid, /^\d{19}$/);

      await fetch(`${h.base}/sandbox/api/phones/0912345678/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'tra cứu 000.00.01.H50-261126-0001' }),
      });
      await h.waitFor(() => h.received.some((r) => r.body.event_name === 'user_send_text'));
      const text = h.received.find((r) => r.body.event_name === 'user_send_text')!;
      assert.equal((text.body.message as { text: string }).text, 'tra cứu 000.00.01.H50-261126-0001');
      assert.equal((text.body.sender as { id: string }).id, uid);

      const cs = await h.json('/z/openapi/v3.0/oa/message/cs', access_token, {
        recipient: { user_id: uid },
        message: { text: 'Hồ sơ đang xử lý.' },
      });
      assert.equal(cs.body.error, 0);
      assert.equal(cs.body.data?.user_id, uid);
      assert.equal(
        (
          await h.json('/z/openapi/v3.0/oa/message/cs', access_token, {
            recipient: { user_id: uid },
            message: { text: 'x'.repeat(2001) },
          })
        ).body.error,
        -201,
      );

      const user = h.sandbox.state.users.get(uid)!;
      user.lastInteractionAt = Date.now() - 8 * 86_400_000;
      assert.equal(
        (
          await h.json('/z/openapi/v3.0/oa/message/cs', access_token, {
            recipient: { user_id: uid },
            message: { text: 'Muộn rồi' },
          })
        ).body.error,
        -230,
      );
      const template = await h.json('/z/openapi/v3.0/oa/message/template', access_token, {
        user_id: uid,
        template_id: '419001',
        template_data: statusData,
      });
      assert.equal(template.body.error, 0, 'templates by UID are not bound to the window');

      const detail = await fetch(
        `${h.base}/z/openapi/v3.0/oa/user/detail?data=${encodeURIComponent(JSON.stringify({ user_id: uid }))}`,
        { headers: { access_token } },
      );
      const detailBody = (await detail.json()) as {
        data: { user_is_follower: boolean; user_last_interaction_date: string };
      };
      assert.equal(detailBody.data.user_is_follower, true);
      assert.match(detailBody.data.user_last_interaction_date, /^\d{2}\/\d{2}\/\d{4}$/);
      assert.equal(
        (
          await h.json('/z/openapi/v3.0/oa/message/cs', 'bad', {
            recipient: { user_id: uid },
            message: { text: 'x' },
          })
        ).body.error,
        -216,
      );
      await fetch(`${h.base}/sandbox/api/options`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        // A lifetime of zero: the token is expired as soon as it is issued (no wait for it to run out).
        body: JSON.stringify({ accessTokenTtlSeconds: 0 }),
      });
      const short = await h.tokens();
      assert.equal(
        (
          await h.json('/z/openapi/v3.0/oa/message/template', short.access_token, {
            user_id: uid,
            template_id: '419001',
            template_data: statusData,
          })
        ).body.error,
        -220,
      );
    });

    it('retries a webhook on non-200 with num_retry', async () => {
      h.receiverStatus = 500;
      await fetch(`${h.base}/sandbox/api/phones/0912345678/follow`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      await h.waitFor(() => h.received.length >= 3);
      h.receiverStatus = 200;
      await h.waitFor(() => h.sandbox.state.webhooks.at(-1)?.status === 'delivered');
      assert.equal(h.received[0]!.headers.num_retry, undefined);
      assert.equal(h.received[1]!.headers.num_retry, '1');
      assert.equal(h.received[2]!.headers.num_retry, '2');
      assert.equal(h.received[0]!.raw, h.received[2]!.raw, 'a retry resends the same signed body');
    });
  });

  describe('fault injection and counters', () => {
    it('injects an error for the next N calls, HTTP 500 and latency, and counts everything', async () => {
      const { access_token } = await h.tokens();
      const send = () =>
        h.json('/z/business/message/template', access_token, {
          phone: '0912345678',
          template_id: '419001',
          template_data: statusData,
          tracking_id: 't',
        });
      const put = (fault: unknown) =>
        fetch(`${h.base}/sandbox/api/faults/zbs.message.template`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(fault),
        });
      await put({ errorCode: -100, remaining: 2 });
      assert.equal((await send()).body.error, -100);
      assert.equal((await send()).body.error, -100);
      assert.equal((await send()).body.error, 0);
      await put({ http500: true, remaining: 1 });
      const failed = await fetch(`${h.base}/z/business/message/template`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', access_token },
        body: '{}',
      });
      assert.equal(failed.status, 500);
      await put({ latencyMs: 150, remaining: 1, errorCode: -100 });
      const started = Date.now();
      await send();
      assert.ok(Date.now() - started >= 140);
      const state = (await (await fetch(`${h.base}/sandbox/api/state`)).json()) as {
        counters: Record<string, { calls: number; rejections: number }>;
      };
      assert.deepEqual(state.counters['zbs.message.template'], { calls: 5, rejections: 4 });
    });
  });
});
