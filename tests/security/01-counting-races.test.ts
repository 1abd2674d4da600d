import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildOfficer } from '../../src/test-support/factories.ts';
import { deskFixture, type LiveServer, request, startLiveServer } from './support.ts';

/**
 * Item 1: limits counted atomically. A burst of parallel requests used to read the failure count before any of
 * them added to it: 30 guesses of the look-up's second factor were all evaluated against a limit of 5 (and the
 * right one accepted), 25 wrong passwords against a login limit of 5.
 */
describe('attack: parallel bursts against the failure limits', () => {
  let t: LiveServer;
  let fixture: Awaited<ReturnType<typeof deskFixture>>;

  before(async () => {
    t = await startLiveServer({
      LOOKUP_PER_MINUTE_PER_IP: '10000',
      LOOKUP_MAX_SECOND_FACTOR_FAILURES: '5',
      LOGIN_MAX_FAILURES: '5',
    });
    fixture = await deskFixture(t);
  });
  after(() => t.close());

  it('evaluates at most 5 of 30 parallel second-factor guesses, so the right one among them is refused', async () => {
    // The applicant's phone ends in 5678 (intakeBody); the attacker tries 29 wrong answers and the right one.
    const guesses = Array.from({ length: 30 }, (_, i) => (i === 29 ? '5678' : String(1000 + i)));
    const answers = await Promise.all(
      guesses.map((secondFactor) =>
        request(t.port, '/api/public/lookup', { body: { code: fixture.dossier.code, secondFactor } }),
      ),
    );
    // Every guess must be answered (an error answer would hide whether it was evaluated).
    const seen = answers.map((a) => `${a.status} ${a.json<{ secondFactor?: string }>().secondFactor}`);
    assert.deepEqual(
      answers.filter((a) => a.status !== 200).map((a) => a.status),
      [],
      `answers: ${seen.join(', ')}`,
    );
    const outcomes = answers.map((a) => a.json<{ secondFactor: string; access: string }>());
    const evaluated = outcomes.filter((o) => o.secondFactor !== 'locked');
    assert.ok(evaluated.length <= 5, `${evaluated.length} guesses were evaluated: ${seen.join(', ')}`);
    assert.equal(outcomes.length, 30);
    // Had the right answer been among the five, it would be verified; the attacker cannot count on it.
    const verified = outcomes.filter((o) => o.access === 'verified').length;
    assert.ok(verified <= 1);
    // Locked now, even with the right answer.
    const after = await request(t.port, '/api/public/lookup', {
      body: { code: fixture.dossier.code, secondFactor: '5678' },
    });
    assert.equal(after.json<{ secondFactor: string }>().secondFactor, 'locked');
    assert.equal(after.json<{ details?: unknown }>().details, undefined);
  });

  it('limits second factors per address across dossiers', async () => {
    const t2 = await startLiveServer({
      LOOKUP_PER_MINUTE_PER_IP: '10000',
      LOOKUP_MAX_SECOND_FACTOR_FAILURES: '5',
      LOOKUP_MAX_SECOND_FACTOR_FAILURES_PER_IP: '4',
    });
    try {
      const f = await deskFixture(t2);
      const second = await deskFixture(t2);
      const codes = [f.dossier.code, second.dossier.code];
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          request(t2.port, '/api/public/lookup', {
            body: { code: codes[i % 2], secondFactor: String(2000 + i) },
            localAddress: '127.0.0.7',
          }),
        ),
      );
      const evaluated = answers.filter((a) => a.json<{ secondFactor: string }>().secondFactor === 'wrong');
      assert.equal(evaluated.length, 4);
      // Another address is not affected.
      const other = await request(t2.port, '/api/public/lookup', {
        body: { code: codes[0], secondFactor: '5678' },
        localAddress: '127.0.0.8',
      });
      assert.equal(other.json<{ secondFactor: string }>().secondFactor, 'ok');
    } finally {
      await t2.close();
    }
  });

  it('evaluates at most 5 of 30 parallel wrong passwords for one account', async () => {
    const officer = await buildOfficer(t.app, fixture.agency.id);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        request(t.port, '/api/auth/login', {
          body: { username: officer.username, password: `sai-mat-khau-${i}` },
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 401).length, 5, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, 25);
    const failures = await t.app.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'auth.login_failed')
      .where('target_id', '=', String(officer.id))
      .execute();
    assert.equal(failures.length, 5, 'only the evaluated attempts are audited');
  });
});
