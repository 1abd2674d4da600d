import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAppCaches } from '../app-caches.ts';
import type { AppContext } from '../app-context.ts';
import { createTestApp, type TestApp, TestClock } from '../test-support/app.ts';
import { invalidateCalendar, loadCalendar } from './repo.ts';

/**
 * The calendar copy belongs to the app (issue 20: no module-level state): two apps on one database in one
 * process keep copies of their own, each ages on its own clock, and a transaction reads its own rows.
 */
describe('the calendar copy', () => {
  let t: TestApp;
  // Saturday 14/03/2026: not a working day unless an administrator makes it one.
  const saturday = '2026-03-14';
  const makeWorking = () =>
    t.app.db
      .insertInto('calendar_day')
      .values({ day: saturday, kind: 'working_day', reason: 'Làm bù' })
      .onConflict((oc) => oc.column('day').doNothing())
      .execute();

  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('is per app, ages on the app clock and is dropped by the invalidation', async () => {
    const otherClock = new TestClock(t.clock.now());
    const other: AppContext = { ...t.app, clock: otherClock.now, caches: createAppCaches() };
    assert.equal((await loadCalendar(t.app)).info(saturday).working, false);
    await makeWorking();
    // This app keeps its copy for five seconds of its clock; the other app reads its own.
    assert.equal((await loadCalendar(t.app)).info(saturday).working, false);
    assert.equal((await loadCalendar(other)).info(saturday).working, true);
    t.clock.advance(5000);
    assert.equal((await loadCalendar(t.app)).info(saturday).working, true);

    await t.app.db.deleteFrom('calendar_day').where('day', '=', saturday).execute();
    invalidateCalendar(t.app);
    assert.equal((await loadCalendar(t.app)).info(saturday).working, false);
    // The other app's copy is not dropped by this app's invalidation: it ages out on its clock.
    assert.equal((await loadCalendar(other)).info(saturday).working, true);
    otherClock.advance(5000);
    assert.equal((await loadCalendar(other)).info(saturday).working, false);
  });

  it('inside a transaction reads the rows the transaction sees', async () => {
    invalidateCalendar(t.app);
    assert.equal((await loadCalendar(t.app)).info(saturday).working, false);
    await t.app.db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('calendar_day')
          .values({ day: saturday, kind: 'working_day', reason: 'Làm bù' })
          .execute();
        assert.equal((await loadCalendar({ ...t.app, db: trx })).info(saturday).working, true);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    assert.equal((await loadCalendar(t.app)).info(saturday).working, false);
  });
});
