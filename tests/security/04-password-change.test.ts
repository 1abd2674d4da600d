import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildOfficer } from '../../src/test-support/factories.ts';
import { deskFixture, type LiveServer, liveLogin, request, startLiveServer } from './support.ts';

/**
 * Item 4: with a stolen session, `POST /api/auth/password` let an attacker guess the current password without
 * limit and without a trace, then take the account over. Wrong current passwords are now limited (as logins)
 * and audited.
 */
describe('attack: guessing the current password through a stolen session', () => {
  let t: LiveServer;

  before(async () => {
    t = await startLiveServer({ LOGIN_MAX_FAILURES: '3' });
  });
  after(() => t.close());

  it('refuses guesses past the limit, even the right one, and audits every wrong one', async () => {
    const { agency } = await deskFixture(t);
    const officer = await buildOfficer(t.app, agency.id);
    const stolen = await liveLogin(t.port, officer.username, officer.password);
    const attempt = (currentPassword: string) =>
      request(t.port, '/api/auth/password', {
        headers: { cookie: stolen },
        body: { currentPassword, newPassword: 'Ke-Gian-Chiem-99' },
      });
    const statuses: number[] = [];
    for (const guess of ['doan-sai-1', 'doan-sai-2', 'doan-sai-3', officer.password]) {
      statuses.push((await attempt(guess)).status);
    }
    assert.deepEqual(statuses, [400, 400, 400, 429]);
    const wrong = await t.app.db
      .selectFrom('audit_event')
      .select(['action', 'ip'])
      .where('action', '=', 'auth.password_change_failed')
      .where('target_id', '=', String(officer.id))
      .execute();
    assert.equal(wrong.length, 3);
    assert.equal(wrong[0]!.ip, '127.0.0.1');
    // The officer's own password still works for logging in: nothing was changed.
    assert.ok(await liveLogin(t.port, officer.username, officer.password));
  });
});
