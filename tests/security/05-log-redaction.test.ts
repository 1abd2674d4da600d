import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/logger.ts';
import { lookupSignature } from '../../src/lookup/signed-link.ts';
import { deskFixture, type LiveServer, liveLogin, request, startLiveServer } from './support.ts';

const DLR_TOKEN = 'dlr-token-SECRET-4242424242';

/**
 * Item 5: access logs recorded full URLs, so whoever reads the logs got the receipt links' `sig` (applicant-level
 * access), the SMS gateway's `token`, and officers' searches by phone and ID number.
 */
describe('attack: reading credentials and personal data out of the access log', () => {
  let t: LiveServer;
  const lines: string[] = [];
  let fixture: Awaited<ReturnType<typeof deskFixture>>;

  before(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    t = await startLiveServer({ SMS_DLR_TOKEN: DLR_TOKEN }, createLogger('info', sink));
    fixture = await deskFixture(t);
  });
  after(() => t.close());

  it('logs every request without sig, token, phone or ID number', async () => {
    const { code } = fixture.dossier;
    const sig = lookupSignature(t.app.config.secrets.lookupLink, code);
    const cookie = await liveLogin(t.port, fixture.desk.username, fixture.desk.password);
    await request(t.port, `/tra-cuu/${encodeURIComponent(code)}?sig=${sig}`);
    await request(t.port, `/api/public/lookup?code=${encodeURIComponent(code)}&sig=${sig}`);
    await request(t.port, `/webhooks/sms?token=${DLR_TOKEN}`, { body: { reference: '1', status: 'x' } });
    await request(t.port, '/api/dossiers?q=0912345678&page=2', { headers: { cookie } });
    await request(t.port, '/api/dossiers?q=044090001234', { headers: { cookie } });
    await request(t.port, '/sandbox/api/phones/0912345678', { headers: { cookie } });
    const log = lines.join('\n');
    for (const secret of [sig, DLR_TOKEN, '0912345678', '044090001234']) {
      assert.ok(!log.includes(secret), `the log shows ${secret}`);
    }
    const urls = lines
      .map((l) => JSON.parse(l) as { req?: { url?: string } })
      .flatMap((l) => (l.req?.url ? [l.req.url] : []));
    // Still useful: which page, which parameters, the harmless values.
    assert.ok(urls.includes(`/tra-cuu/${encodeURIComponent(code)}?sig=[redacted]`), urls.join('\n'));
    assert.ok(urls.includes('/api/dossiers?q=[redacted]&page=2'), urls.join('\n'));
    assert.ok(urls.includes('/sandbox/api/phones/[redacted]'), urls.join('\n'));
  });
});
