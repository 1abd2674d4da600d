import type { AddressInfo } from 'node:net';
import { after, before, beforeEach } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { mountZaloSandbox, type SandboxHandle } from './plugin.ts';

/** A webhook the sandbox posted to the receiver, as received. */
export interface Received {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: Record<string, unknown>;
}

export const REDIRECT = 'https://motcua.test/api/zalo/oauth/callback';

export const statusData = {
  ten_cong_dan: 'Nguyễn Văn An',
  ma_ho_so: '000.00.01.H50-261126-0001',
  ten_thu_tuc: 'Cấp Giấy xác nhận',
  trang_thai: 'Đang xử lý',
};

/**
 * For the sandbox's contract tests: the emulator mounted on its own Fastify at /z, a receiver for its
 * webhooks, reset before each test, and the HTTP calls the tests make. Call inside a `describe`.
 */
export function useSandboxHarness() {
  let app: FastifyInstance;
  let receiver: FastifyInstance;
  const h = {
    base: '',
    sandbox: undefined as unknown as SandboxHandle,
    received: [] as Received[],
    /** What the receiver answers the sandbox's webhooks with. */
    receiverStatus: 200,
    o: () => h.sandbox.state.options,
    form: (fields: Record<string, string>) => new URLSearchParams(fields).toString(),
    tokenCall: (fields: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${h.base}/z/oauth/v4/oa/access_token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          secret_key: h.o().appSecret,
          ...headers,
        },
        body: h.form(fields),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> })),
    tokens: async () =>
      (await fetch(`${h.base}/sandbox/api/tokens`, { method: 'POST' })).json() as Promise<{
        access_token: string;
        refresh_token: string;
      }>,
    json: (path: string, token: string, body: unknown) =>
      fetch(`${h.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', access_token: token },
        body: JSON.stringify(body),
      }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { error: number; message: string; data?: Record<string, unknown> },
      })),
    waitFor: async (predicate: () => boolean, ms = 3000) => {
      const until = Date.now() + ms;
      while (!predicate()) {
        if (Date.now() > until) {
          throw new Error('timed out');
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };

  before(async () => {
    receiver = Fastify();
    receiver.addContentTypeParser('application/json', { parseAs: 'string' }, (_r, body, done) =>
      done(null, body),
    );
    receiver.post('/webhooks/zalo', async (request, reply) => {
      const raw = String(request.body);
      h.received.push({ headers: request.headers, raw, body: JSON.parse(raw) });
      return reply.status(h.receiverStatus).send('ok');
    });
    await receiver.listen({ port: 0, host: '127.0.0.1' });
    app = Fastify();
    h.sandbox = await mountZaloSandbox(app, {
      prefix: '/z',
      options: {
        webhookUrl: `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/webhooks/zalo`,
        receiptDelayMs: 20,
        timeScale: 0.0001,
      },
      redirectUri: () => REDIRECT,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    h.base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await app.close();
    await receiver.close();
  });
  beforeEach(async () => {
    await fetch(`${h.base}/sandbox/api/reset`, { method: 'POST' });
    h.received.length = 0;
    h.receiverStatus = 200;
  });
  return h;
}
