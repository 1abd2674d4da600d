import assert from 'node:assert/strict';
import { DEFAULT_FALLBACK_POLICY, type TFallbackPolicy } from '../contracts/fallback.ts';
import { stopMailCatcher } from '../email/send-email.ts';
import { FALLBACK_CHECK_TASK } from '../fallback/plan-fallback.ts';
import { installationId, trackingIdOf } from '../zalo/installation.ts';
import { webhookMac } from '../zalo-sandbox/webhooks.ts';
import { loginCookie } from './app.ts';
import { buildOfficer } from './factories.ts';
import { createZaloDesk } from './zalo-desk.ts';

export const QUIET_OFF = { enabled: false, start: '21:00', end: '07:00' };

/**
 * A Zalo desk for the fallback tests: the in-process Zalo sandbox (receipts only when a test sends one: the
 * fallback timer is what is under test), the SMS sandbox and the mail catcher, an administrator to change
 * the province's policy, and the moves the tests make: signed receipts, due delivery checks, a quiet night.
 */
export async function createFallbackDesk() {
  const desk = await createZaloDesk({ now: new Date().toISOString() });
  const { t, key } = desk;
  const officer = await buildOfficer(t.app, desk.agencyId, 'admin');
  const admin = await loginCookie(t.server, officer.username, officer.password);
  t.server.zaloSandbox!.state.options.receiptDelayMs = 3_600_000;

  const savePolicy = async (change: Partial<TFallbackPolicy>) => {
    const res = await t.server.inject({
      method: 'PUT',
      url: '/api/admin/fallback-policy',
      headers: { cookie: admin },
      payload: { ...DEFAULT_FALLBACK_POLICY, ...change },
    });
    assert.equal(res.statusCode, 200, res.body);
  };

  return {
    desk,
    t,
    key,
    admin,
    sandbox: desk.sandbox,
    work: desk.work,
    notifications: desk.notifications,
    settle: desk.settle,
    savePolicy,
    intake: (phone: string, extra: { email?: string; notifyByZalo?: boolean } = {}) =>
      desk.intake(phone, extra),
    byChannel: async (dossierId: number, channel: string) =>
      (await desk.notifications(dossierId)).filter((n) => n.channel === channel),
    /** Quiet hours off, so that a test does not depend on the hour it runs at. */
    quietHoursOff: () => savePolicy({ sms: { ...DEFAULT_FALLBACK_POLICY.sms, quietHours: QUIET_OFF } }),
    /** Runs the delivery checks now (by the app's clock, as the job lanes see it) instead of in N minutes. */
    makeChecksDue: () =>
      t.app.db
        .updateTable('job')
        .set({ run_at: t.app.clock() })
        .where('task', '=', FALLBACK_CHECK_TASK)
        .execute(),
    /**
     * Runs `test` with quiet hours 21:00–07:00 on and the clock at 22:00 tomorrow in Vietnam, so that the end
     * of the quiet hours (07:00 the day after) is in the future for the database too; the clock is put back.
     */
    async duringQuietNight(test: (day: string) => Promise<void>) {
      await savePolicy({
        sms: { ...DEFAULT_FALLBACK_POLICY.sms, quietHours: { enabled: true, start: '21:00', end: '07:00' } },
      });
      const saved = t.app.clock();
      const day = new Date(saved.getTime() + 7 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
      t.clock.set(`${day}T22:00:00+07:00`);
      try {
        await test(day);
      } finally {
        t.clock.set(saved);
      }
    },
    /** Zalo's signed delivery receipt, through the real webhook route; returns the stored event. */
    async receipt(zaloNotificationId: number, phone: string) {
      const o = desk.sandbox().options;
      const timestamp = String(Date.now());
      // As Zalo sends it: the msg_id it gave the send, and our tracking_id.
      const { provider_msg_id } = await t.app.db
        .selectFrom('notification')
        .select('provider_msg_id')
        .where('id', '=', zaloNotificationId)
        .executeTakeFirstOrThrow();
      const msgId = provider_msg_id ?? `m${zaloNotificationId}`;
      const body = JSON.stringify({
        app_id: o.appId,
        event_name: 'user_received_message',
        sender: { id: o.oaId },
        recipient: { id: phone },
        message: {
          delivery_time: timestamp,
          msg_id: msgId,
          tracking_id: trackingIdOf(await installationId(t.app), zaloNotificationId),
        },
        timestamp,
      });
      const res = await t.server.inject({
        method: 'POST',
        url: '/webhooks/zalo',
        headers: {
          'content-type': 'application/json',
          'x-zevent-signature': `mac=${webhookMac(o.appId, body, timestamp, o.oaSecretKey)}`,
        },
        payload: body,
      });
      assert.equal(res.statusCode, 200);
      return t.app.db
        .selectFrom('zalo_event')
        .select('id')
        .where('dedupe_key', '=', `user_received_message:${msgId}`)
        .executeTakeFirstOrThrow();
    },
    async close() {
      await stopMailCatcher(t.app);
      await t.close();
    },
  };
}

export type FallbackDesk = Awaited<ReturnType<typeof createFallbackDesk>>;
