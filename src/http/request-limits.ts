import type { ServerOptions } from 'node:http';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { AppError, TooManyRequests } from '../errors.ts';

/**
 * Node's own timeouts for the HTTP server: a request (headers and body) must arrive whole within
 * HTTP_REQUEST_TIMEOUT_SECONDS, its headers within 10 s of that; Node answers 408 and closes the connection
 * otherwise. Checked every second (Node's default is every 30 s). A body trickled one byte at a time no longer
 * keeps a connection and its buffers for minutes.
 */
export function serverTimeouts(config: Config): { requestTimeout: number; http: ServerOptions } {
  const requestMs = config.http.requestTimeoutSeconds * 1000;
  return {
    requestTimeout: requestMs,
    http: {
      headersTimeout: Math.min(requestMs, 10_000),
      requestTimeout: requestMs,
      connectionsCheckingInterval: Math.min(1000, requestMs),
    },
  };
}

/**
 * A cap on the request bodies being received at once, counted in the bytes they announce (Content-Length, or
 * the route's body limit when chunked), in all and per client address: each holds a connection and up to its
 * size in memory until complete, so 300 unfinished 1 MB bodies held 270 MB. Small JSON bodies, even 50 at once
 * from one integration, weigh next to nothing. Past either cap a request with a body is answered 503 at once
 * (Retry-After) and its connection closed.
 */
export function limitPendingBodies(fastify: FastifyInstance, config: Config): void {
  const maxBytes = config.http.maxPendingBodyMb * 1024 * 1024;
  const maxBytesPerIp = config.http.maxPendingBodyMbPerIp * 1024 * 1024;
  let pending = 0;
  const perAddress = new Map<string, number>();
  fastify.addHook('onRequest', (request, reply, done) => {
    const raw = request.raw;
    const length = Number(raw.headers['content-length'] ?? 0);
    const chunked = raw.headers['transfer-encoding'] !== undefined;
    if (!(length > 0 || chunked) || raw.complete) {
      done();
      return;
    }
    const limit = request.routeOptions.bodyLimit ?? 1024 * 1024;
    const bytes = chunked || !Number.isFinite(length) ? limit : Math.min(length, limit);
    const ip = request.ip;
    const mine = perAddress.get(ip) ?? 0;
    if (pending + bytes > maxBytes || mine + bytes > maxBytesPerIp) {
      reply.header('retry-after', '5').header('connection', 'close');
      done(
        new AppError(
          'too_many_uploads',
          'Too many request bodies are being received at once; retry later',
          'Hệ thống đang bận. Vui lòng thử lại sau ít giây.',
        ),
      );
      return;
    }
    pending += bytes;
    perAddress.set(ip, mine + bytes);
    let finished = false;
    const finish = () => {
      if (finished) {
        return;
      }
      finished = true;
      pending -= bytes;
      const left = (perAddress.get(ip) ?? bytes) - bytes;
      if (left > 0) {
        perAddress.set(ip, left);
      } else {
        perAddress.delete(ip);
      }
    };
    raw.once('end', finish);
    raw.once('close', finish);
    raw.once('error', finish);
    done();
  });
}

/**
 * @fastify/rate-limit, for the per-node limits a route asks for with `config: { rateLimit: { max, timeWindow } }`
 * (none is global). It answers in memory at onRequest, before the body, the database or a password hash:
 * a flood costs this node almost nothing. Limits that must hold across nodes are counted in PostgreSQL
 * (src/rate-limit/counter.ts).
 */
export async function registerPerNodeRateLimits(fastify: FastifyInstance): Promise<void> {
  await fastify.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return TooManyRequests(
        `Too many requests from this address; retry in ${seconds} s`,
        `Bạn thao tác quá nhiều lần. Vui lòng thử lại sau ${seconds} giây.`,
        seconds,
      );
    },
  });
}
