import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { intakeBody } from '../../src/test-support/factories.ts';
import { deskFixture, type LiveServer, liveLogin, request, startLiveServer } from './support.ts';

/**
 * Item 14: names took control characters, bidi overrides (U+202E) and zero-width characters, so the receipt
 * showed a name reversed, or two names looked the same and were not. One check of every request's text now
 * strips invisible formatting and refuses control characters; Vietnamese letters and tone marks are untouched.
 */
describe('attack: invisible and control characters in free text', () => {
  let t: LiveServer;
  let fixture: Awaited<ReturnType<typeof deskFixture>>;

  before(async () => {
    t = await startLiveServer();
    fixture = await deskFixture(t);
  });
  after(() => t.close());

  const intake = (applicant: Record<string, string>, extra: Record<string, unknown> = {}) =>
    request(t.port, '/api/v1/dossiers', {
      headers: { authorization: fixture.key.authorization },
      body: intakeBody(fixture.procedure.code, {
        applicant: { ...intakeBody(fixture.procedure.code).applicant, ...applicant },
        ...extra,
      }),
    });
  const stored = async (code: string) =>
    (
      await request(t.port, `/api/v1/dossiers/${code}`, {
        headers: { authorization: fixture.key.authorization },
      })
    ).json<{ applicant: { fullName: string; address: string } }>();

  it('removes bidi overrides and zero-width characters from a name and an address', async () => {
    const res = await intake({
      fullName: 'Trần Thị \u202EaoH\u202C',
      address: 'Tổ\u200B 5,\u200D phường\uFEFF Đồng\u2066 Hới',
    });
    assert.equal(res.status, 201, res.body);
    const view = await stored(res.json<{ code: string }>().code);
    assert.equal(view.applicant.fullName, 'Trần Thị aoH');
    assert.equal(view.applicant.address, 'Tổ 5, phường Đồng Hới');
  });

  it('refuses control characters', async () => {
    for (const fullName of ['Phạm\u0007 Văn Bảy', 'Phạm\u001b[31m Văn', 'Phạm\u0085Văn']) {
      const res = await intake({ fullName });
      assert.equal(res.status, 400, res.body);
      assert.match(res.json<{ message: string }>().message, /control character/);
    }
  });

  it('keeps Vietnamese tone marks, typed composed or decomposed, and line breaks in notes', async () => {
    const res = await intake(
      { fullName: 'Nguye\u0302\u0303n Thi\u0323 Ho\u0300a' },
      { note: 'Dòng một\nDòng hai' },
    );
    assert.equal(res.status, 201, res.body);
    assert.equal((await stored(res.json<{ code: string }>().code)).applicant.fullName, 'Nguyễn Thị Hòa');
  });

  it('cleans officers’ names the same way', async () => {
    const cookie = await liveLogin(t.port, fixture.admin.username, fixture.admin.password);
    const res = await request(t.port, `/api/users/${fixture.desk.id}`, {
      method: 'PATCH',
      headers: { cookie },
      body: { fullName: 'Lê\u200B Văn \u202ETám' },
    });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json<{ fullName: string }>().fullName, 'Lê Văn Tám');
  });
});
