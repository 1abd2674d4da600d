import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../test-support/app.ts';
import { refusingBatches } from '../test-support/database.ts';
import { buildAgency, buildApiKey, buildProcedure, intakeBody } from '../test-support/factories.ts';
import { statusChangeOutbox } from '../test-support/jobs.ts';
import { ensureDefaultBindings } from './bindings.ts';
import { planStatusChanges } from './status-change-lane.ts';

describe('worker role', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    // Templates bound: messages are queued, not left waiting for one.
    await ensureDefaultBindings(t.app.db);
  });
  after(() => t.close());

  /** A new desk's intake through the integration API. */
  const intake = async () => {
    const agency = await buildAgency(t.app);
    const key = await buildApiKey(t.app, agency.id);
    const proc = await buildProcedure(t.app, [agency.id]);
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/v1/dossiers',
      headers: { authorization: key.authorization },
      payload: intakeBody(proc.code),
    });
    return { key, res };
  };

  it('plans the status changes that intake and transitions write to the outbox', async () => {
    const { key, res } = await intake();
    await t.server.inject({
      method: 'POST',
      url: `/api/v1/dossiers/${res.json().code}/transitions`,
      headers: { authorization: key.authorization },
      payload: { to: 4 },
    });
    const dossierId = res.json().id as number;
    const mine = async () => (await statusChangeOutbox(t.app.db)).filter((c) => c.dossier_id === dossierId);
    assert.deepEqual(
      (await mine()).map((c) => c.action),
      ['receive', 'start_processing'],
    );
    while ((await planStatusChanges(t.app)) > 0) {}
    assert.deepEqual(await mine(), []);
    const planned = await t.app.db
      .selectFrom('notification')
      .select(['channel', 'state'])
      .where('dossier_id', '=', dossierId)
      .orderBy('journal_seq')
      .execute();
    // Planned together: the citizen is told the newer status only, as if planned one after the other.
    assert.deepEqual(planned, [
      { channel: 'zalo_phone', state: 'superseded' },
      { channel: 'zalo_phone', state: 'queued' },
    ]);
  });

  it('plans the changes of a batch one by one when the database refuses them together', async () => {
    const dossierIds = await Promise.all(
      [intake(), intake(), intake()].map(async (i) => (await i).res.json().id),
    );
    await refusingBatches(t.app.db, 'notification', 'insert', async () => {
      while ((await planStatusChanges(t.app)) > 0) {}
    });
    assert.deepEqual(await statusChangeOutbox(t.app.db), []);
    const planned = await t.app.db
      .selectFrom('notification')
      .select(['dossier_id', 'state'])
      .where('dossier_id', 'in', dossierIds)
      .orderBy('dossier_id')
      .execute();
    assert.deepEqual(
      planned.map((n) => n.state),
      ['queued', 'queued', 'queued'],
    );
  });

  it('leaves a claimed status change to its planner, retries a failed one later and gives up with an alert', async () => {
    const { res } = await intake();
    const dossierId = res.json().id as number;
    const row = async () => (await statusChangeOutbox(t.app.db)).find((c) => c.dossier_id === dossierId);
    // Another node holds the claim: nothing to do here.
    await t.app.db
      .updateTable('status_change')
      .set({ claimed_until: new Date(t.clock.now().getTime() + 10_000) })
      .where('dossier_id', '=', dossierId)
      .execute();
    await planStatusChanges(t.app);
    assert.ok(await row(), 'a live claim is not taken over');
    // Its lease ran out (the node died): taken over, and this time the database refuses the message.
    await sql`create function refuse_notification() returns trigger language plpgsql as $$
      begin raise exception 'refused for the test'; end $$`.execute(t.app.db);
    await sql`create trigger refuse before insert on notification
      for each row execute function refuse_notification()`.execute(t.app.db);
    try {
      t.clock.advance(11_000);
      await planStatusChanges(t.app);
      const retried = (await row())!;
      assert.equal(retried.attempts, 1);
      assert.match(retried.last_error ?? '', /refused for the test/);
      assert.ok(new Date(retried.claimed_until!).getTime() > t.clock.now().getTime(), 'tried again later');
      assert.equal(retried.failed_at, null);
      // The last attempt fails too: given up, the administrators alerted.
      await t.app.db
        .updateTable('status_change')
        .set({ attempts: 24, claimed_until: null })
        .where('dossier_id', '=', dossierId)
        .execute();
      await planStatusChanges(t.app);
      assert.ok((await row())!.failed_at, 'given up');
      const alert = await t.app.db
        .selectFrom('app_alert')
        .selectAll()
        .where('key', '=', 'status_change.failed')
        .executeTakeFirst();
      assert.ok(alert, 'the administrators are alerted');
    } finally {
      await sql`drop trigger refuse on notification`.execute(t.app.db);
      await sql`drop function refuse_notification()`.execute(t.app.db);
    }
  });

  it('pages the integration list with a stable cursor', async () => {
    const agency = await buildAgency(t.app);
    const key = await buildApiKey(t.app, agency.id);
    const proc = await buildProcedure(t.app, [agency.id]);
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      await t.server.inject({
        method: 'POST',
        url: '/api/v1/dossiers',
        headers: { authorization: key.authorization },
        payload: intakeBody(proc.code),
      });
    }
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 5 && cursor !== null; page++) {
      const res = await t.server.inject({
        url: `/api/v1/dossiers?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: { authorization: key.authorization },
      });
      seen.push(...res.json().items.map((d: { code: string }) => d.code));
      cursor = res.json().nextCursor;
    }
    assert.equal(seen.length, 5);
    assert.deepEqual(seen, [...seen].sort().reverse());
  });
});
