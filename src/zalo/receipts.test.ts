import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';
import { installationId, trackingIdOf } from './installation.ts';
import { recordReceipts } from './receipts.ts';

/** Delivery receipts recorded by the batch, on real PostgreSQL. */
describe('delivery receipts', () => {
  let desk: ZaloDesk;
  before(async () => {
    desk = await createZaloDesk({ realTime: true });
    // Receipts are written below by hand: the sandbox's own would race them.
    desk.t.server.zaloSandbox!.state.options.receiptDelayMs = 3_600_000;
  });
  after(() => desk.t.close());

  const receipt = async (key: string, message: Record<string, string>) =>
    (
      await desk.t.app.db
        .insertInto('zalo_event')
        .values({
          dedupe_key: key,
          event_name: 'user_received_message',
          server: 'ZNS',
          raw: JSON.stringify({ event_name: 'user_received_message', message }),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const outcome = async (id: number) =>
    (
      await desk.t.app.db
        .selectFrom('zalo_event')
        .select(['outcome', 'processed_at'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).outcome;

  const tracking = async (id: number) => trackingIdOf(await installationId(desk.t.app), id);

  it('marks the messages delivered by tracking id and msg_id in one batch, and gives every event its outcome', async () => {
    const a = await desk.intake('0912 300 001');
    const b = await desk.intake('0912 300 002');
    for (const d of [a, b]) {
      await desk.settle(d.id, (ns) => ns[0]?.state === 'sent');
    }
    const [na] = await desk.notifications(a.id);
    const [nb] = await desk.notifications(b.id);
    const sent = desk.sandbox().messages.find((m) => m.msgId === na!.provider_msg_id)!;
    assert.equal(sent.trackingId, await tracking(na!.id), 'Zalo got <installation>-<notification id>');
    assert.match(sent.trackingId!, /^[0-9a-f]{16}-\d+$/);
    const deliveredAt = Date.parse('2026-11-26T03:04:05.678Z');
    const events = [
      await receipt('r-a', {
        tracking_id: await tracking(na!.id),
        msg_id: na!.provider_msg_id!,
        delivery_time: String(deliveredAt),
      }),
      await receipt('r-b', {
        tracking_id: await tracking(nb!.id),
        msg_id: nb!.provider_msg_id!,
        delivery_time: 'not a time',
      }),
      // Zalo sent the receipt of A twice.
      await receipt('r-a-again', { tracking_id: await tracking(na!.id), msg_id: na!.provider_msg_id! }),
      await receipt('r-unknown', { tracking_id: await tracking(999999999), msg_id: 'z-x' }),
      await receipt('r-chat', { msg_id: 'a chat message of the OA' }),
    ];
    assert.equal(await recordReceipts(desk.t.app, { limit: 2 }), 2, 'at most one batch');
    assert.equal(await recordReceipts(desk.t.app), 3);
    assert.equal(await recordReceipts(desk.t.app), 0, 'each event once');
    const [da] = await desk.notifications(a.id);
    const [db] = await desk.notifications(b.id);
    assert.equal(da!.state, 'delivered');
    assert.equal(new Date(da!.delivered_at!).getTime(), deliveredAt);
    assert.equal(db!.state, 'delivered');
    assert.ok(db!.delivered_at, 'a receipt without a usable time is dated when it is recorded');
    assert.deepEqual(await Promise.all(events.map(outcome)), [
      'delivered',
      'delivered',
      'receipt_without_pending_notification',
      'receipt_without_pending_notification',
      'receipt_of_chat_message',
    ]);
  });

  it("never takes another installation's receipt for its own, even with the same notification id", async () => {
    const d = await desk.intake('0912 300 010');
    await desk.settle(d.id, (ns) => ns[0]?.state === 'sent');
    const [n] = await desk.notifications(d.id);
    // Another installation (or a restored copy of this database) on the same OA sent its own message number n.
    const otherInstallation = await receipt('r-other', {
      tracking_id: trackingIdOf('0123456789abcdef', n!.id),
      msg_id: 'the other installation message',
    });
    const sameIdOtherMessage = await receipt('r-restored', {
      tracking_id: await tracking(n!.id),
      msg_id: 'a message of a restored copy',
    });
    const legacyBareId = await receipt('r-legacy', { tracking_id: String(n!.id), msg_id: 'older message' });
    await recordReceipts(desk.t.app);
    assert.equal(await outcome(otherInstallation), 'receipt_of_another_installation');
    assert.equal(await outcome(sameIdOtherMessage), 'receipt_without_pending_notification');
    assert.equal(await outcome(legacyBareId), 'receipt_without_pending_notification');
    assert.equal((await desk.notifications(d.id))[0]!.state, 'sent', 'still waiting for its own receipt');
    // A receipt of a message sent before installation ids (bare id) still counts when its msg_id is ours.
    const legacy = await receipt('r-legacy-ours', {
      tracking_id: String(n!.id),
      msg_id: n!.provider_msg_id!,
    });
    await recordReceipts(desk.t.app);
    assert.equal(await outcome(legacy), 'delivered');
  });

  it('keeps a receipt that arrives before its send is recorded until the msg_id is known', async () => {
    const d = await desk.intake('0912 300 011');
    await desk.settle(d.id, (ns) => ns[0]?.state === 'sent');
    const [n] = await desk.notifications(d.id);
    const msgId = n!.provider_msg_id!;
    // As while the send is in flight: accepted by Zalo, not yet recorded here.
    await desk.t.app.db
      .updateTable('notification')
      .set({ state: 'queued', provider_msg_id: null })
      .where('id', '=', n!.id)
      .execute();
    const early = await receipt('r-early', { tracking_id: await tracking(n!.id), msg_id: msgId });
    assert.equal(await recordReceipts(desk.t.app), 0, 'left for a later pass');
    assert.equal(await outcome(early), null);
    await desk.t.app.db
      .updateTable('notification')
      .set({ state: 'sent', provider_msg_id: msgId })
      .where('id', '=', n!.id)
      .execute();
    assert.equal(await recordReceipts(desk.t.app), 1);
    assert.equal(await outcome(early), 'delivered');
    assert.equal((await desk.notifications(d.id))[0]!.state, 'delivered');
  });

  it('never moves a failed message back, and finds a follower message by its Zalo msg_id', async () => {
    desk.sandbox().phones.set('84912300003', { onZalo: false });
    const d = await desk.intake('0912 300 003');
    await desk.settle(d.id, (ns) => ns[0]?.state === 'failed');
    const [n] = await desk.notifications(d.id);
    const late = await receipt('r-failed', { tracking_id: await tracking(n!.id), msg_id: 'x' });
    await recordReceipts(desk.t.app);
    assert.equal(await outcome(late), 'receipt_without_pending_notification');
    assert.equal((await desk.notifications(d.id))[0]!.state, 'failed');
    // The same row as a message to a follower's UID, which Zalo's receipt names by msg_id only.
    await desk.t.app.db
      .updateTable('notification')
      .set({
        channel: 'zalo_uid',
        state: 'sent',
        provider_msg_id: 'uid-msg-1',
        recipient: '7000000000000000001',
      })
      .where('id', '=', n!.id)
      .execute();
    const byMsgId = await receipt('r-uid', { msg_id: 'uid-msg-1' });
    await recordReceipts(desk.t.app);
    assert.equal(await outcome(byMsgId), 'delivered');
    assert.equal((await desk.notifications(d.id))[0]!.state, 'delivered');
  });
});
