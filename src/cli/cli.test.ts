import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { planStatusChanges } from '../notifications/status-change-lane.ts';
import { createTestApp, loginCookie, type TestApp } from '../test-support/app.ts';
import {
  buildAgency,
  buildApiKey,
  buildProcedure,
  intakeBody,
  receiveViaApi,
} from '../test-support/factories.ts';
import { runCli } from './main.ts';

describe('npm run cli', () => {
  let t: TestApp;
  let agencyCode: string;
  const run = async (line: string[]) => {
    const out: string[] = [];
    const code = await runCli(t.app, line, (l) => out.push(l));
    return { code, out };
  };

  before(async () => {
    t = await createTestApp();
    agencyCode = (await buildAgency(t.app)).code;
  });
  after(() => t.close());

  it('creates a user who can log in, and disables them', async () => {
    const created = await run([
      'user',
      'create',
      '--username',
      'Canbo.Moi',
      '--name',
      'Cán Bộ Mới',
      '--role',
      'desk_officer',
      '--agency',
      agencyCode,
      '--password',
      'Hoa-Phuong-Do-2026',
    ]);
    assert.equal(created.code, 0);
    assert.match(created.out[0]!, /Created user canbo.moi/);
    const cookie = await loginCookie(t.server, 'canbo.moi', 'Hoa-Phuong-Do-2026');
    assert.equal((await run(['user', 'disable', '--username', 'canbo.moi'])).code, 0);
    assert.equal((await t.server.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode, 401);
    // Listed for its agency and among all users, marked disabled.
    for (const args of [['--agency', agencyCode], []]) {
      const listed = await run(['user', 'list', ...args]);
      assert.equal(listed.code, 0);
      assert.ok(
        listed.out.some(
          (l) => l.includes('canbo.moi') && l.includes('Cán Bộ Mới') && l.endsWith('(disabled)'),
        ),
        listed.out.join('\n'),
      );
    }
  });

  it('creates an API key that works once and lists it without the secret', async () => {
    const created = await run(['api-key', 'create', '--agency', agencyCode, '--name', 'MCĐT tỉnh']);
    const key = created.out[1]!;
    assert.match(key, /^mck_[A-Za-z0-9]{8}_/);
    const res = await t.server.inject({
      url: '/api/v1/procedures',
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(res.statusCode, 200);
    const listed = await run(['api-key', 'list', '--agency', agencyCode]);
    assert.ok(listed.out.some((l) => l.includes('MCĐT tỉnh')));
    assert.ok(!listed.out.join('\n').includes(key));
  });

  it('lists the status changes whose planning was given up and plans them again on request', async () => {
    const agency = await buildAgency(t.app);
    const key = await buildApiKey(t.app, agency.id);
    const procedure = await buildProcedure(t.app, [agency.id]);
    const d = await receiveViaApi(t.server, key.authorization, intakeBody(procedure.code));
    // As the planners leave a change after its last attempt.
    await t.app.db
      .updateTable('status_change')
      .set({ failed_at: t.clock.now(), attempts: 25, last_error: 'refused' })
      .where('dossier_id', '=', d.id)
      .execute();
    const listed = await run(['status-change', 'failed']);
    assert.ok(listed.out.some((l) => l.includes(d.code) && l.includes('refused')));
    await assert.rejects(run(['status-change', 'retry', '--id', '1234567']), /No given-up status change/);
    const retried = await run(['status-change', 'retry']);
    assert.match(retried.out[0]!, /1 status change\(s\) will be planned again/);
    assert.match((await run(['status-change', 'failed'])).out.at(-1)!, /^0 status change/);
    while ((await planStatusChanges(t.app)) > 0) {}
    const planned = await t.app.db
      .selectFrom('notification')
      .select('id')
      .where('dossier_id', '=', d.id)
      .execute();
    assert.equal(planned.length, 1, 'planned after the retry');
    const audit = await t.app.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'status_change.retry')
      .execute();
    assert.equal(audit.length, 1);
  });

  it('refuses unknown agencies and roles with a clear message', async () => {
    await assert.rejects(
      run(['api-key', 'create', '--agency', 'NOPE', '--name', 'x']),
      /No agency with code NOPE/,
    );
    await assert.rejects(
      run(['user', 'create', '--username', 'abc', '--name', 'A', '--role', 'boss', '--agency', agencyCode]),
      /--role must be one of/,
    );
    assert.equal((await run(['nonsense'])).code, 2);
  });
});
