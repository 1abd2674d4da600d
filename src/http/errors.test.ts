import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZApiError } from '../contracts/errors.ts';
import { AppError, Conflict, NotFound } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { declareErrorResponses, registerErrorHandler } from './errors.ts';

/**
 * The one error handler: catalogue errors in the declared shape, and logs at the level the status deserves — a
 * 4xx is the caller's mistake (info: no alert should fire because someone typed a wrong code), a 5xx ours (error).
 */
describe('error answers and their log level', () => {
  let app: FastifyInstance;
  const lines: { level: number; msg: string; code?: string }[] = [];
  before(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) {
          lines.push(JSON.parse(line));
        }
        done();
      },
    });
    app = Fastify({ loggerInstance: createLogger('debug', sink) as FastifyBaseLogger });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandler(app);
    app.addHook('onRoute', declareErrorResponses);
    const r = app.withTypeProvider<ZodTypeProvider>();
    const ok = { response: { 200: z.object({ ok: z.boolean() }) } };
    r.get('/not-found', { schema: ok }, async () => {
      throw NotFound('dossier', 'X-1', 'Không tìm thấy hồ sơ.');
    });
    r.get('/conflict', { schema: ok }, async () => {
      throw Conflict('invalid_transition', 'No transition', 'Không thể chuyển.', { from: 1 });
    });
    r.get(
      '/invalid',
      { schema: { ...ok, querystring: z.object({ n: z.coerce.number().int() }) } },
      async () => ({
        ok: true,
      }),
    );
    r.get('/gateway', { schema: ok }, async () => {
      throw new AppError('oauth_exchange_failed', 'Zalo refused the code: -14', 'Zalo từ chối.');
    });
    r.get('/bug', { schema: ok }, async () => {
      throw new TypeError('undefined is not a function');
    });
    await app.ready();
  });
  after(() => app.close());

  for (const [url, status, code] of [
    ['/not-found', 404, 'dossier_not_found'],
    ['/conflict', 409, 'invalid_transition'],
    ['/invalid?n=x', 400, 'invalid_request'],
    ['/no-such-route', 404, 'route_not_found'],
  ] as const) {
    it(`answers ${url} with ${status} ${code}, logged at info, never as an error`, async () => {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, status);
      const body = ZApiError.parse(res.json());
      assert.equal(body.error, code);
      // An unknown route is Fastify's "request completed" line only; the others name their code.
      if (url !== '/no-such-route') {
        assert.ok(
          lines.some((l) => l.code === code && l.level === 30),
          `a line at info names ${code}`,
        );
      }
      assert.ok(
        lines.every((l) => l.level < 50),
        `no line at error or above: ${JSON.stringify(lines.filter((l) => l.level >= 50))}`,
      );
    });
  }

  it('logs a 5xx, ours or a gateway’s, as an error with its cause', async () => {
    const before = lines.length;
    const gateway = await app.inject({ url: '/gateway' });
    assert.equal(gateway.statusCode, 502);
    assert.equal(ZApiError.parse(gateway.json()).error, 'oauth_exchange_failed');
    const bug = await app.inject({ url: '/bug' });
    assert.equal(bug.statusCode, 500);
    assert.deepEqual(bug.json(), {
      error: 'internal_error',
      message: 'Internal server error',
      userMessage: 'Hệ thống gặp lỗi. Vui lòng thử lại sau.',
      details: null,
    });
    const errors = lines.slice(before).filter((l) => l.level === 50);
    assert.equal(errors.length, 2, JSON.stringify(lines.slice(before)));
  });
});
