import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildAgency, buildOfficer } from '../../src/test-support/factories.ts';
import { deskFixture, type LiveServer, liveLogin, request, startLiveServer } from './support.ts';

/**
 * Item 15: the built-in sandbox (development) ignored agency scoping: any officer read every phone's thread,
 * every SMS and every caught email; and its OAuth consent page (which connects the OA) needed no sign-in.
 */
describe('attack: reading another agency’s citizens through the sandbox', () => {
  let t: LiveServer;
  let mine: { agency: { id: number }; desk: Awaited<ReturnType<typeof buildOfficer>> };
  let theirs: Awaited<ReturnType<typeof deskFixture>>;
  let myCookie: string;
  let theirCookie: string;
  const THEIR_PHONE = '0912345678';

  before(async () => {
    t = await startLiveServer();
    const agency = await buildAgency(t.app);
    mine = { agency, desk: await buildOfficer(t.app, agency.id) };
    // The other agency's dossier (deskFixture's) is for 0912 345 678, as intakeBody's applicant.
    theirs = await deskFixture(t);
    myCookie = await liveLogin(t.port, mine.desk.username, mine.desk.password);
    theirCookie = await liveLogin(t.port, theirs.desk.username, theirs.desk.password);
    // What the SMS sandbox and the mail catcher hold for the other agency's dossier.
    const journal = await t.app.db
      .selectFrom('dossier_journal')
      .select(['id', 'seq'])
      .where('dossier_id', '=', theirs.dossier.id)
      .executeTakeFirstOrThrow();
    for (const channel of ['sms', 'email'] as const) {
      const n = await t.app.db
        .insertInto('notification')
        .values({
          dossier_id: theirs.dossier.id,
          journal_id: journal.id,
          journal_seq: journal.seq,
          channel,
          recipient: channel === 'sms' ? '84912345678' : 'an@example.vn',
          template_key: 'status',
          payload: JSON.stringify({}),
          state: 'sent',
          provider_msg_id: `<${channel}-1@motcua.local>`,
          ...(channel === 'sms' ? { sms_encoding: 'gsm7' as const, sms_segments: 1 } : {}),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (channel === 'sms') {
        await t.app.db
          .insertInto('sandbox_sms')
          .values({
            phone: '84912345678',
            brandname: 'MOTCUA',
            body: 'Ho so cua ong An da co ket qua',
            encoding: 'gsm7',
            segments: 1,
            reference: String(n.id),
          })
          .execute();
      } else {
        await t.app.db
          .insertInto('sandbox_mail')
          .values({
            message_id: '<email-1@motcua.local>',
            mail_from: 'khong-tra-loi@motcua.local',
            rcpt_to: ['an@example.vn'],
            subject: 'Hồ sơ của ông An',
            text_body: 'Hồ sơ đã có kết quả',
            size: 100,
          })
          .execute();
      }
    }
  });
  after(() => t.close());

  it('does not open another agency’s citizen’s phone thread, nor act as that citizen', async () => {
    const thread = await request(t.port, `/sandbox/api/phones/${THEIR_PHONE}`, {
      headers: { cookie: myCookie },
    });
    assert.equal(thread.status, 404, thread.body);
    const write = await request(t.port, `/sandbox/api/phones/${THEIR_PHONE}/messages`, {
      headers: { cookie: myCookie },
      body: { text: 'Xin chào' },
    });
    assert.equal(write.status, 404, write.body);
    const own = await request(t.port, `/sandbox/api/phones/${THEIR_PHONE}`, {
      headers: { cookie: theirCookie },
    });
    assert.equal(own.status, 200, own.body);
    // A number on no dossier is a test phone.
    const test = await request(t.port, '/sandbox/api/phones/0987654321', { headers: { cookie: myCookie } });
    assert.equal(test.status, 200, test.body);
  });

  it('shows each agency only its own SMS and emails', async () => {
    const sms = (cookie: string) =>
      request(t.port, `/sandbox/api/sms?phone=${THEIR_PHONE}`, { headers: { cookie } }).then((r) =>
        r.json<unknown[]>(),
      );
    assert.equal((await sms(myCookie)).length, 0);
    assert.equal((await sms(theirCookie)).length, 1);
    const mailbox = (cookie: string) => request(t.port, '/sandbox/mail', { headers: { cookie } });
    assert.doesNotMatch((await mailbox(myCookie)).body, /Hồ sơ của ông An/);
    assert.match((await mailbox(theirCookie)).body, /Hồ sơ của ông An/);
    const mail = await t.app.db.selectFrom('sandbox_mail').select('id').executeTakeFirstOrThrow();
    assert.equal(
      (await request(t.port, `/sandbox/mail/${mail.id}`, { headers: { cookie: myCookie } })).status,
      404,
    );
    assert.equal(
      (await request(t.port, `/sandbox/mail/${mail.id}/html`, { headers: { cookie: myCookie } })).status,
      404,
    );
  });

  it('requires a signed-in administrator on the OAuth consent page', async () => {
    const { appId } = t.app.config.zalo;
    const redirect = encodeURIComponent(`${t.app.config.http.publicBaseUrl}/api/zalo/oauth/callback`);
    const path = `/sandbox/zalo/oauth/v4/oa/permission?app_id=${appId}&redirect_uri=${redirect}`;
    assert.equal((await request(t.port, path)).status, 401);
    assert.equal((await request(t.port, path, { headers: { cookie: myCookie } })).status, 403);
    const anonymousAllow = await request(t.port, '/sandbox/zalo/oauth/v4/oa/permission/allow', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `redirect_uri=${redirect}&decision=allow`,
    });
    assert.equal(anonymousAllow.status, 401);
    const admin = await buildOfficer(t.app, mine.agency.id, 'admin');
    const adminCookie = await liveLogin(t.port, admin.username, admin.password);
    const page = await request(t.port, path, { headers: { cookie: adminCookie } });
    assert.equal(page.status, 200);
    assert.match(page.body, /Cho phép/);
    const allowed = await request(t.port, '/sandbox/zalo/oauth/v4/oa/permission/allow', {
      headers: { cookie: adminCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: `redirect_uri=${redirect}&decision=allow`,
    });
    assert.equal(allowed.status, 302, allowed.body);
    assert.match(String(allowed.headers.location), /code=/);
  });
});
