import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { AppError } from '../errors.ts';
import { escapeHtml, prefersHtml } from './html.ts';

const DATABASE_RETRY_AFTER_SECONDS = 10;

/**
 * The one place errors become HTTP: `{ error, message, userMessage, details }`. `error` is a stable code,
 * `message` precise English for API clients, `userMessage` the Vietnamese sentence for people.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    if (err instanceof AppError) {
      if (err.status === 429) {
        const retry = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
        if (retry) {
          void reply.header('Retry-After', String(retry));
        }
      }
      return reply.status(err.status).send({
        error: err.code,
        message: err.message,
        userMessage: err.userMessage,
        details: err.details ?? null,
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => {
        const field = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
        return {
          field: field || err.validationContext || 'body',
          message: v.message ?? 'invalid',
          userMessage: `Trường "${field || 'dữ liệu'}" thiếu hoặc không hợp lệ.`,
        };
      });
      return reply.status(400).send({
        error: 'invalid_request',
        message: `Invalid ${err.validationContext ?? 'request'}: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
        userMessage: 'Dữ liệu gửi lên không hợp lệ.',
        details,
      });
    }
    const fastifyError = err as FastifyError;
    if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return reply.status(fastifyError.statusCode).send({
        error: fastifyError.code?.toLowerCase() ?? 'bad_request',
        message: fastifyError.message,
        userMessage: fastifyError.statusCode === 413 ? 'Dữ liệu gửi lên quá lớn.' : 'Yêu cầu không hợp lệ.',
        details: null,
      });
    }
    const refusedInput = databaseRefusedInput(err);
    if (refusedInput) {
      // Input our checks let through and PostgreSQL refused (a number out of range, a missing reference):
      // the client's mistake, not ours; logged so that the missing check gets written.
      request.log.warn({ err }, 'input refused by PostgreSQL');
      return reply.status(400).send({
        error: refusedInput,
        message: 'A value is out of range or refers to something that does not exist',
        userMessage: 'Dữ liệu gửi lên không hợp lệ.',
        details: null,
      });
    }
    if (isDatabaseUnavailable(err)) {
      request.log.error({ err }, 'database unavailable');
      void reply.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      return serverError(request, reply, 503, {
        error: 'database_unavailable',
        message: 'The database is unavailable; retry later',
        userMessage: 'Hệ thống đang tạm gián đoạn. Vui lòng thử lại sau ít phút.',
      });
    }
    request.log.error({ err }, 'unhandled error');
    return serverError(request, reply, 500, {
      error: 'internal_error',
      message: 'Internal server error',
      userMessage: 'Hệ thống gặp lỗi. Vui lòng thử lại sau.',
    });
  });

  app.setNotFoundHandler(sendNotFound);
}

/**
 * PostgreSQL's data exceptions (class 22: out of range, invalid text, untranslatable character…) and foreign
 * key violations come from values a request carried: they are answered 400, never 500.
 */
function databaseRefusedInput(err: unknown): 'invalid_value' | 'invalid_reference' | undefined {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) {
    return undefined;
  }
  return code === '23503' ? 'invalid_reference' : code.startsWith('22') ? 'invalid_value' : undefined;
}

/** No such route. */
export function sendNotFound(request: FastifyRequest, reply: FastifyReply) {
  return reply.status(404).send({
    error: 'route_not_found',
    message: `No route ${request.method} ${request.url.split('?')[0]}`,
    userMessage: 'Không tìm thấy trang hoặc chức năng yêu cầu.',
    details: null,
  });
}

/**
 * Errors Fastify raises before any route or hook runs (a URL that does not decode, such as `/tra-cuu/%`), in
 * the same shape as every other error; Fastify's own would answer `{error: "Bad Request", code: "FST_ERR_…"}`.
 */
export function frameworkErrors(err: FastifyError, _request: unknown, reply: FastifyReply): void {
  void reply.status(err.statusCode && err.statusCode < 500 ? err.statusCode : 400).send({
    error: err.code === 'FST_ERR_BAD_URL' ? 'bad_url' : (err.code?.toLowerCase() ?? 'bad_request'),
    message: err.message,
    userMessage: 'Địa chỉ không hợp lệ.',
    details: null,
  });
}

/**
 * A failure on our side, in the error shape — or, for a browser opening a page (a citizen's /tra-cuu link), as
 * a small page in Vietnamese: the look-up's own pages need the database to be drawn.
 */
function serverError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  body: { error: string; message: string; userMessage: string },
) {
  if (!prefersHtml(request)) {
    return reply.status(status).send({ ...body, details: null });
  }
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    .header('cache-control', 'no-store')
    .send(
      `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Chưa thực hiện được</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5"><h1 style="font-size:1.3rem">Chưa thực hiện được yêu cầu</h1><p>${escapeHtml(body.userMessage)}</p><p style="color:#666">Mã lỗi: ${escapeHtml(body.error)}</p></body></html>`,
    );
}
