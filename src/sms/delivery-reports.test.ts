import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp } from '../test-support/app.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';

const TOKEN = 'dlr-secret-0123456789';

/** The brandname gateway's delivery reports, through the real route on real PostgreSQL. */
describe('SMS delivery reports (POST /webhooks/sms)', () => {
  let desk: ZaloDesk;
  let dossierId: number;
  before(async () => {
    desk = await createZaloDesk({ env: { SMS_DLR_TOKEN: TOKEN } });
    dossierId = (await desk.intake('0912 345 601')).id;
    await desk.work();
  });
  after(() => desk.t.close());

  /** An SMS the gateway accepted (state `sent`) for a new dossier, as the fallback sender leaves it. */
  let phones = 0;
  const sentSms = async (providerMessageId: string) => {
    const phone = `84912346${String(100 + phones++).padStart(3, '0')}`;
    const { id } = await desk.intake(phone, { notifyByZalo: false });
    const entry = await desk.t.app.db
      .selectFrom('dossier_journal')
      .select(['id', 'seq'])
      .where('dossier_id', '=', id)
      .executeTakeFirstOrThrow();
    const row = await desk.t.app.db
      .insertInto('notification')
      .values({
        dossier_id: id,
        journal_id: entry.id,
        journal_seq: entry.seq,
        channel: 'sms',
        recipient: phone,
        template_key: 'status',
        payload: JSON.stringify({ text: 'Ho so da tiep nhan' }),
        state: 'sent',
        provider_msg_id: providerMessageId,
        sent_at: new Date(),
        sms_encoding: 'gsm7',
        sms_segments: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const report = (payload: unknown, auth: { bearer?: string; query?: string } = { bearer: TOKEN }) =>
    desk.t.server.inject({
      method: 'POST',
      url: `/webhooks/sms${auth.query ? `?token=${auth.query}` : ''}`,
      headers: auth.bearer ? { authorization: `Bearer ${auth.bearer}` } : {},
      payload: payload as object,
    });
  const stateOf = async (id: number) =>
    desk.t.app.db
      .selectFrom('notification')
      .select(['state', 'delivered_at', 'failed_at', 'error_message', 'error_vi'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('refuses a report without the token, or with a wrong one, and changes nothing', async () => {
    const id = await sentSms('gw-401');
    for (const auth of [{}, { bearer: 'wrong-token-0123456789' }, { query: 'nope' }]) {
      const res = await report({ reference: String(id), status: 'DELIVRD' }, auth);
      assert.equal(res.statusCode, 401, res.body);
      assert.equal(res.json().error, 'bad_token');
    }
    assert.equal((await stateOf(id)).state, 'sent');
  });

  it('marks a delivered SMS delivered at the reported time', async () => {
    const id = await sentSms('gw-1');
    const at = '2026-11-26T08:30:00+07:00';
    const res = await report({ reference: String(id), messageId: 'gw-1', status: 'DELIVRD', at });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { updated: 1 });
    const now = await stateOf(id);
    assert.equal(now.state, 'delivered');
    assert.equal(new Date(now.delivered_at!).toISOString(), new Date(at).toISOString());
  });

  it('takes a batch by ?token=: failures recorded with the reason, the rest left as they are', async () => {
    const delivered = await sentSms('gw-2');
    const undelivered = await sentSms('gw-3');
    const enRoute = await sentSms('gw-4');
    const otherMessage = await sentSms('gw-5');
    const [zalo] = await desk.notifications(dossierId);
    assert.equal((await report({ reference: delivered, status: 'delivered' })).statusCode, 200);
    const res = await report(
      [
        { reference: String(undelivered), status: 'UNDELIV', error: 'handset off for 48 h' },
        // Already delivered: a late failure report does not move it back.
        { reference: String(delivered), status: 'failed' },
        { reference: String(enRoute), status: 'ENROUTE' },
        // The reference of another message than the gateway's id says: left alone.
        { reference: String(otherMessage), messageId: 'gw-999', status: 'delivered' },
        // Not an SMS, and an unknown reference.
        { reference: String(zalo!.id), status: 'failed' },
        { reference: '987654321', status: 'delivered' },
      ],
      { query: TOKEN },
    );
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { updated: 1 });
    const failed = await stateOf(undelivered);
    assert.equal(failed.state, 'failed');
    assert.ok(failed.failed_at);
    assert.equal(failed.error_message, 'SMS gateway reported UNDELIV: handset off for 48 h');
    assert.equal(failed.error_vi, 'SMS không tới được người nhận (theo báo cáo của cổng SMS).');
    assert.equal((await stateOf(delivered)).state, 'delivered');
    assert.equal((await stateOf(enRoute)).state, 'sent');
    assert.equal((await stateOf(otherMessage)).state, 'sent');
    assert.equal((await stateOf(zalo!.id)).state, zalo!.state);
  });

  it('answers 400 for a report it cannot read', async () => {
    for (const payload of [{ status: 'delivered' }, { reference: 'abc', status: 'delivered' }, []]) {
      const res = await report(payload);
      assert.equal(res.statusCode, 400, res.body);
    }
  });

  it('is off (404) when no SMS_DLR_TOKEN is configured', async () => {
    const bare = await createTestApp();
    try {
      const res = await bare.server.inject({
        method: 'POST',
        url: '/webhooks/sms',
        headers: { authorization: `Bearer ${TOKEN}` },
        payload: { reference: '1', status: 'delivered' },
      });
      assert.equal(res.statusCode, 404, res.body);
    } finally {
      await bare.close();
    }
  });
});
