import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import {
  buildAgency,
  buildApiKey,
  buildProcedure,
  intakeBody,
  receiveViaApi,
} from '../test-support/factories.ts';
import { lookupSignature } from './signed-link.ts';

/** The public look-up over HTTP on real PostgreSQL: what each access level shows, and what it never shows. */
describe('public look-up', () => {
  let t: TestApp;
  let code: string;
  let key: Awaited<ReturnType<typeof buildApiKey>>;
  let procedureCode: string;
  const PERSONAL = ['Nguyễn Văn An', '0912345678', '84912345678', '044090001234', '0912 345 678'];

  before(async () => {
    t = await createTestApp({ env: { LOOKUP_PER_MINUTE_PER_IP: '1000' } });
    const agency = await buildAgency(t.app);
    key = await buildApiKey(t.app, agency.id);
    procedureCode = (
      await buildProcedure(t.app, [agency.id], { name: 'Cấp bản sao <script>alert(1)</script>' })
    ).code;
    code = await intake();
    const supplement = await t.server.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${code}/transitions`,
      headers: { authorization: key.authorization },
      payload: { to: 5, missingDocuments: ['Bản sao CCCD'], reason: 'Thiếu giấy tờ' },
    });
    assert.equal(supplement.statusCode, 200, supplement.body);
  });
  after(() => t.close());

  const intake = async () =>
    (await receiveViaApi(t.server, key.authorization, intakeBody(procedureCode))).code;
  const getJson = (query: string, remoteAddress = '10.0.0.1') =>
    t.server.inject({ url: `/api/public/lookup?${query}`, remoteAddress });

  it('shows the code, procedure, status and dates by code alone, and nothing personal', async () => {
    const messy = ` ${code.toLowerCase().replaceAll('-', ' - ')} `;
    const res = await getJson(`code=${encodeURIComponent(messy)}`);
    assert.equal(res.statusCode, 200, res.body);
    const view = res.json();
    assert.equal(view.code, code);
    assert.equal(view.access, 'public');
    assert.equal(view.status, 5);
    assert.equal(view.statusLabel, 'Yêu cầu bổ sung giấy tờ');
    assert.match(view.nextStep, /giấy tờ còn thiếu/);
    assert.ok(view.appointmentDate && view.receivedAt);
    assert.deepEqual(
      view.history.map((h: { label: string }) => h.label),
      ['Được tiếp nhận', 'Yêu cầu bổ sung giấy tờ'],
    );
    assert.equal(view.details, undefined);
    for (const secret of [...PERSONAL, 'Bản sao CCCD']) {
      assert.ok(!res.body.includes(secret), `public look-up leaks ${secret}`);
    }
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('shows the applicant, what was asked and the messages with the receipt signature', async () => {
    // A message sent and one cancelled: a verified look-up lists the first only, with its time.
    const entry = await t.app.db
      .selectFrom('dossier_journal as j')
      .innerJoin('dossier as d', 'd.id', 'j.dossier_id')
      .select(['j.id', 'j.seq', 'j.dossier_id'])
      .where('d.code', '=', code)
      .orderBy('j.seq', 'desc')
      .executeTakeFirstOrThrow();
    const sentAt = new Date('2026-03-02T03:04:05.678Z');
    for (const state of ['sent', 'cancelled'] as const) {
      await t.app.db
        .insertInto('notification')
        .values({
          dossier_id: entry.dossier_id,
          journal_id: entry.id,
          journal_seq: entry.seq,
          channel: state === 'sent' ? 'sms' : 'zalo_phone',
          recipient: '84912345678',
          template_key: 'status',
          payload: JSON.stringify({ text: 'Ho so can bo sung' }),
          state,
          sent_at: state === 'sent' ? sentAt : null,
          ...(state === 'sent' ? { sms_encoding: 'gsm7', sms_segments: 1 } : {}),
        })
        .execute();
    }
    const sig = lookupSignature(t.app.config.secrets.lookupLink, code);
    const res = await getJson(`code=${encodeURIComponent(code)}&sig=${sig}`);
    const view = res.json();
    assert.equal(view.access, 'verified');
    assert.equal(view.details.applicantName, 'Nguyễn Văn An');
    assert.deepEqual(view.details.missingDocuments, ['Bản sao CCCD']);
    // The HTTP look-up's batches leave the messages out; a verified look-up reads them for itself.
    assert.deepEqual(view.details.notifications, [
      {
        channel: 'sms',
        channelLabel: 'Tin nhắn SMS',
        state: 'sent',
        stateLabel: 'Đã gửi',
        at: sentAt.toISOString(),
      },
    ]);
    assert.ok(!res.body.includes('84912345678') && !res.body.includes('044090001234'), 'never phone or ID');
    const forged = await getJson(
      `code=${encodeURIComponent(code)}&sig=${sig.replace(/.$/, sig.endsWith('A') ? 'B' : 'A')}`,
    );
    assert.equal(forged.json().access, 'public');
  });

  it('verifies the last 4 digits of phone or ID number, and locks after repeated wrong guesses', async () => {
    const lockedCode = await intake();
    const otherCode = await intake();
    const post = (secondFactor: string) =>
      t.server.inject({
        method: 'POST',
        url: '/api/public/lookup',
        payload: { code: lockedCode, secondFactor },
        remoteAddress: '10.0.0.2',
      });
    assert.equal((await post('5678')).json().access, 'verified');
    assert.equal((await post('1234')).json().access, 'verified');
    const wrong = (await post('0000')).json();
    assert.equal(wrong.access, 'public');
    assert.equal(wrong.secondFactor, 'wrong');
    for (let i = 0; i < 4; i++) {
      await post('9999');
    }
    const locked = (await post('5678')).json();
    // Other dossiers are not affected.
    const other = await t.server.inject({
      method: 'POST',
      url: '/api/public/lookup',
      payload: { code: otherCode, secondFactor: '5678' },
      remoteAddress: '10.0.0.2',
    });
    assert.equal(other.json().access, 'verified');
    assert.equal(locked.secondFactor, 'locked');
    assert.equal(locked.access, 'public');
  });

  it('answers concurrent look-ups (read together) each with its own dossier, and the latest status', async () => {
    const others = [await intake(), await intake()];
    const unknown = '000.00.01.H50-200101-9998';
    const asked = [code, ...others, unknown, others[0]!, code];
    const answers = await Promise.all(asked.map((c) => getJson(`code=${encodeURIComponent(c)}`)));
    assert.deepEqual(
      answers.map((r) => (r.statusCode === 200 ? r.json().code : r.statusCode)),
      asked.map((c) => (c === unknown ? 404 : c)),
    );
    const moved = await t.server.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${others[1]}/transitions`,
      headers: { authorization: key.authorization },
      payload: { to: 4 },
    });
    assert.equal(moved.statusCode, 200, moved.body);
    const after = await Promise.all(others.map((c) => getJson(`code=${encodeURIComponent(c)}`)));
    assert.deepEqual(
      after.map((r) => r.json().status),
      [2, 4],
    );
  });

  it('answers unknown and malformed codes with clear errors', async () => {
    const unknown = await getJson('code=000.00.01.H50-200101-9999');
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().userMessage, 'Không tìm thấy hồ sơ.');
    const malformed = await getJson('code=hello');
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().error, 'invalid_input');
  });

  it('renders the page behind the receipt QR with a strict CSP and escaped text', async () => {
    const sig = lookupSignature(t.app.config.secrets.lookupLink, code);
    const plain = await t.server.inject({
      url: `/tra-cuu/${encodeURIComponent(code)}`,
      remoteAddress: '10.0.0.3',
    });
    assert.equal(plain.statusCode, 200);
    assert.match(plain.headers['content-type'] as string, /text\/html/);
    assert.match(plain.headers['content-security-policy'] as string, /default-src 'none'/);
    assert.equal(plain.headers['referrer-policy'], 'no-referrer');
    assert.ok(plain.body.includes('Yêu cầu bổ sung giấy tờ'));
    assert.ok(plain.body.includes('Cấp bản sao &lt;script&gt;'));
    assert.ok(!plain.body.includes('<script'));
    // With the built-in sandbox, "Quan tâm OA" opens the phone simulator, not a zalo.me page that does not exist.
    assert.ok(plain.body.includes(`href="${t.app.config.http.publicBaseUrl}/sandbox/phone"`));
    assert.ok(!plain.body.includes('zalo.me'));
    for (const secret of PERSONAL) {
      assert.ok(!plain.body.includes(secret), `page leaks ${secret}`);
    }
    const signed = await t.server.inject({
      url: `/tra-cuu/${encodeURIComponent(code)}?sig=${sig}`,
      remoteAddress: '10.0.0.3',
    });
    assert.ok(signed.body.includes('Nguyễn Văn An'));
    assert.ok(signed.body.includes('Bản sao CCCD'));
    const form = await t.server.inject({
      method: 'POST',
      url: '/tra-cuu',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ code, factor: '1234' }).toString(),
      remoteAddress: '10.0.0.3',
    });
    assert.equal(form.statusCode, 200);
    assert.ok(form.body.includes('Nguyễn Văn An'));
    const missing = await t.server.inject({
      url: '/tra-cuu/000.00.01.H50-200101-9999',
      remoteAddress: '10.0.0.3',
    });
    assert.equal(missing.statusCode, 404);
    assert.ok(missing.body.includes('Không tìm thấy hồ sơ'));
    assert.ok(
      missing.body.includes(`placeholder="${code.replace(/\d{4}$/, '0001')}"`),
      'an example code of this province',
    );
    // Whatever follows /tra-cuu/, the citizen gets the page, not an error of the router.
    const rambling = await t.server.inject({
      url: `/tra-cuu/${encodeURIComponent(`mã hồ sơ của tôi là ${'x'.repeat(200)}`)}`,
      remoteAddress: '10.0.0.3',
    });
    assert.equal(rambling.statusCode, 404);
    assert.match(rambling.headers['content-type'] as string, /^text\/html/);
    // A cut or mistyped link in a browser leads to the form; an API client gets the 404.
    const cut = await t.server.inject({ url: '/tra-cuu/000.00/01', headers: { accept: 'text/html' } });
    assert.equal(cut.statusCode, 303);
    assert.equal(cut.headers.location, '/tra-cuu');
    assert.equal((await t.server.inject({ url: '/tra-cuu/000.00/01' })).json().error, 'route_not_found');
    const undecodable = await t.server.inject({ url: '/tra-cuu/%', remoteAddress: '10.0.0.3' });
    assert.equal(undecodable.statusCode, 400);
    assert.equal(undecodable.json().error, 'bad_url');
    const byQuery = await t.server.inject({ url: `/tra-cuu?code=${encodeURIComponent(code.toLowerCase())}` });
    assert.equal(byQuery.statusCode, 303);
    assert.equal(byQuery.headers.location, `/tra-cuu/${encodeURIComponent(code)}`);
  });
});

describe('public look-up rate limit', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: { LOOKUP_PER_MINUTE_PER_IP: '3' } });
  });
  after(() => t.close());

  it('answers 429 with a Vietnamese page and Retry-After past the limit, per address', async () => {
    const get = (remoteAddress: string) =>
      t.server.inject({ url: '/tra-cuu/000.00.01.H50-261126-0001', remoteAddress });
    for (let i = 0; i < 3; i++) {
      assert.equal((await get('10.1.1.1')).statusCode, 404);
    }
    const limited = await get('10.1.1.1');
    assert.equal(limited.statusCode, 429);
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    assert.ok(limited.body.includes('Bạn tra cứu quá nhiều lần'));
    const json = await t.server.inject({
      url: '/api/public/lookup?code=000.00.01.H50-261126-0001',
      remoteAddress: '10.1.1.1',
    });
    assert.equal(json.statusCode, 429);
    assert.equal(json.json().error, 'rate_limited');
    assert.equal((await get('10.1.1.2')).statusCode, 404, 'another address is not affected');
  });
});
