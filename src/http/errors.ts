import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ERROR_RESPONSES } from '../contracts/errors.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { AppError } from '../errors.ts';
import { escapeHtml, prefersHtml } from './html.ts';

const DATABASE_RETRY_AFTER_SECONDS = 10;

/**
 * The one place errors become HTTP: `{ error, message, userMessage, details }` (`ZApiError` in
 * src/contracts/errors.ts). `error` is a code of the catalogue (src/errors.ts), `message` precise English for API
 * clients, `userMessage` the Vietnamese sentence for people. A 4xx is the client's mistake and is logged at info
 * (no alert should fire because someone typed a wrong code); a 5xx is ours and is logged as an error.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    const known = asAppError(err);
    if (known) {
      logAnswered(request, known, err);
      if (known.status === 429) {
        const retry = (known.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
        if (retry) {
          void reply.header('Retry-After', String(retry));
        }
      }
      return reply.status(known.status).send(bodyOf(known));
    }
    const refusedInput = databaseRefusedInput(err);
    if (refusedInput) {
      // Input our checks let through and PostgreSQL refused (a number out of range, a missing reference):
      // the client's mistake, not ours; logged as a warning so that the missing check gets written.
      request.log.warn({ err }, 'input refused by PostgreSQL');
      return reply
        .status(400)
        .send(
          bodyOf(
            new AppError(
              refusedInput,
              'A value is out of range or refers to something that does not exist',
              'Dữ liệu gửi lên không hợp lệ.',
            ),
          ),
        );
    }
    if (isDatabaseUnavailable(err)) {
      request.log.error({ err }, 'database unavailable');
      void reply.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      return serverError(
        request,
        reply,
        new AppError(
          'database_unavailable',
          undefined,
          'Hệ thống đang tạm gián đoạn. Vui lòng thử lại sau ít phút.',
        ),
      );
    }
    request.log.error({ err }, 'unhandled error');
    return serverError(
      request,
      reply,
      new AppError('internal_error', undefined, 'Hệ thống gặp lỗi. Vui lòng thử lại sau.'),
    );
  });

  app.setNotFoundHandler(sendNotFound);
}

/**
 * Declares the error answers beside every route's own responses (onRoute), so that the serializer checks them
 * and the OpenAPI document shows them: one declaration for every route instead of one per route.
 */
export function declareErrorResponses(route: RouteOptions): void {
  const schema = route.schema as { response?: Record<string, unknown> } | undefined;
  if (schema?.response) {
    schema.response = { ...schema.response, ...ERROR_RESPONSES };
  }
}

/** The error as a catalogue entry: ours, a schema validation, or one of Fastify's own 4xx. */
function asAppError(err: FastifyError | AppError | Error): AppError | undefined {
  if (err instanceof AppError) {
    return err;
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
    return new AppError(
      'invalid_request',
      `Invalid ${err.validationContext ?? 'request'}: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
      'Dữ liệu gửi lên không hợp lệ.',
      details,
    );
  }
  const status = (err as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) {
    return status === 413
      ? new AppError('payload_too_large', err.message, 'Dữ liệu gửi lên quá lớn.')
      : status === 415
        ? new AppError('unsupported_media_type', err.message, 'Dữ liệu gửi lên không đúng định dạng.')
        : status === 429
          ? new AppError('rate_limited', err.message, 'Bạn thao tác quá nhiều lần. Vui lòng thử lại sau.')
          : new AppError('bad_request', err.message, 'Yêu cầu không hợp lệ.');
  }
  return undefined;
}

function bodyOf(err: AppError) {
  return {
    error: err.code,
    message: err.message,
    userMessage: err.userMessage,
    details: err.details ?? null,
  };
}

/** 4xx at info with its code (the client's mistake), 5xx at error with the cause. */
function logAnswered(request: FastifyRequest, known: AppError, cause: unknown): void {
  if (known.status >= 500) {
    request.log.error({ err: cause, code: known.code, statusCode: known.status }, known.message);
  } else {
    request.log.info(
      { code: known.code, statusCode: known.status },
      `answered ${known.status} ${known.code}`,
    );
  }
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
  return reply
    .status(404)
    .send(
      bodyOf(
        new AppError(
          'route_not_found',
          `No route ${request.method} ${request.url.split('?')[0]}`,
          'Không tìm thấy trang hoặc chức năng yêu cầu.',
        ),
      ),
    );
}

/**
 * Errors Fastify raises before any route or hook runs (a URL that does not decode, such as `/tra-cuu/%`), in
 * the same shape as every other error; Fastify's own would answer `{error: "Bad Request", code: "FST_ERR_…"}`.
 */
export function frameworkErrors(err: FastifyError, _request: unknown, reply: FastifyReply): void {
  const known = new AppError(
    err.code === 'FST_ERR_BAD_URL' ? 'bad_url' : 'bad_request',
    err.message,
    'Địa chỉ không hợp lệ.',
  );
  void reply
    .status(err.statusCode && err.statusCode < 500 ? err.statusCode : known.status)
    .send(bodyOf(known));
}

/**
 * A failure on our side, in the error shape — or, for a browser opening a page (a citizen's /tra-cuu link), as
 * a small page in Vietnamese: the look-up's own pages need the database to be drawn.
 */
function serverError(request: FastifyRequest, reply: FastifyReply, err: AppError) {
  const body = bodyOf(err);
  if (!prefersHtml(request)) {
    return reply.status(err.status).send(body);
  }
  return reply
    .status(err.status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    .header('cache-control', 'no-store')
    .send(
      `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Chưa thực hiện được</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5"><h1 style="font-size:1.3rem">Chưa thực hiện được yêu cầu</h1><p>${escapeHtml(body.userMessage)}</p><p style="color:#666">Mã lỗi: ${escapeHtml(body.error)}</p></body></html>`,
    );
}
