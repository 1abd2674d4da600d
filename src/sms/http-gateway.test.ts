import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { loadConfig } from '../config.ts';
import { httpGateway } from './http-gateway.ts';

/** The brandname HTTP adapter against a fake gateway started here (never a real host). */
describe('HTTP brandname SMS gateway', () => {
  let server: Server;
  let url: string;
  let answer: { status: number; body: unknown };
  let received: { headers: IncomingMessage['headers']; body: Record<string, unknown> }[];

  before(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => {
        raw += c;
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> });
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms/send`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    received = [];
    answer = { status: 200, body: { messageId: 'gw-1' } };
  });

  const gateway = (env: Record<string, string> = {}) =>
    httpGateway(
      loadConfig(
        {
          SMS_GATEWAY_URL: url,
          SMS_GATEWAY_USER: 'motcua',
          SMS_GATEWAY_PASSWORD: 'bí-mật',
          SMS_BRANDNAME: 'UBND QTRI',
          ...env,
        },
        [],
      ).sms,
    );
  const message = {
    to: '84912345678',
    text: 'Ho so X da duoc tiep nhan.',
    encoding: 'gsm7' as const,
    segments: 1,
    reference: '42',
  };

  it('posts the message as JSON with Basic credentials and the brandname', async () => {
    const result = await gateway().send(message);
    assert.deepEqual(result, { ok: true, providerMessageId: 'gw-1', delivered: false });
    assert.equal(received.length, 1);
    assert.equal(
      received[0]!.headers.authorization,
      `Basic ${Buffer.from('motcua:bí-mật').toString('base64')}`,
    );
    assert.deepEqual(received[0]!.body, {
      from: 'UBND QTRI',
      to: '84912345678',
      text: 'Ho so X da duoc tiep nhan.',
      unicode: false,
      reference: '42',
    });
  });

  it('uses a Bearer token when one is configured, and flags UCS-2 texts as unicode', async () => {
    await gateway({ SMS_GATEWAY_TOKEN: 'tok' }).send({ ...message, text: 'Hồ sơ', encoding: 'ucs2' });
    assert.equal(received[0]!.headers.authorization, 'Bearer tok');
    assert.equal(received[0]!.body.unicode, true);
  });

  it('treats 5xx and 429 as transient, other refusals as permanent', async () => {
    answer = { status: 503, body: { message: 'maintenance' } };
    assert.deepEqual(await gateway().send(message), {
      ok: false,
      kind: 'transient',
      code: '503',
      message: 'SMS gateway HTTP 503: maintenance',
    });
    answer = { status: 429, body: {} };
    assert.equal(((await gateway().send(message)) as { kind: string }).kind, 'transient');
    answer = { status: 400, body: { code: 'INVALID_PHONE', message: 'bad number' } };
    const refused = await gateway().send(message);
    assert.equal(refused.ok, false);
    assert.equal((refused as { kind: string }).kind, 'permanent');
    assert.equal((refused as { code: string }).code, 'INVALID_PHONE');
    answer = { status: 200, body: { status: 'error', code: 7, message: 'brandname not registered' } };
    assert.equal(((await gateway().send(message)) as { kind: string }).kind, 'permanent');
  });

  it('treats an unreachable gateway as transient', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const result = await gateway({ SMS_GATEWAY_URL: `http://127.0.0.1:${port}/x` }).send(message);
    assert.equal(result.ok, false);
    assert.equal((result as { kind: string }).kind, 'transient');
    assert.match((result as { message: string }).message, /unreachable/);
  });

  it('refuses a gateway URL without credentials, naming the variable', () => {
    assert.throws(() => loadConfig({ SMS_GATEWAY_URL: url }, []), /SMS_GATEWAY_URL: needs SMS_GATEWAY_TOKEN/);
    assert.throws(
      () =>
        loadConfig({ SMS_GATEWAY_URL: url, SMS_GATEWAY_TOKEN: 't', SMS_BRANDNAME: 'far too long name' }, []),
      /SMS_BRANDNAME/,
    );
    assert.equal(loadConfig({}, []).sms.provider, 'sandbox');
    assert.equal(loadConfig({ SMS_GATEWAY_URL: url, SMS_GATEWAY_TOKEN: 't' }, []).sms.provider, 'http');
  });
});
