import type { ServerOptions } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';

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
 * A cap on request bodies being received at once, in all and per client address: each one holds a connection
 * and up to the body limit (1 MB) in memory until it is complete, so 300 unfinished 1 MB bodies held 270 MB.
 * Past either cap a request with a body is answered 503 at once (Retry-After) and its connection closed.
 */
export function limitPendingBodies(fastify: FastifyInstance, config: Config): void {
  const { maxPendingBodies, maxPendingBodiesPerIp } = config.http;
  let pending = 0;
  const perAddress = new Map<string, number>();
  fastify.addHook('onRequest', (request, reply, done) => {
    const raw = request.raw;
    const length = Number(raw.headers['content-length'] ?? 0);
    if (!(length > 0 || raw.headers['transfer-encoding'] !== undefined) || raw.complete) {
      done();
      return;
    }
    const ip = request.ip;
    const mine = perAddress.get(ip) ?? 0;
    if (pending >= maxPendingBodies || mine >= maxPendingBodiesPerIp) {
      reply.header('retry-after', '5').header('connection', 'close');
      done(
        new AppError(
          'too_many_uploads',
          503,
          'Too many request bodies are being received at once; retry later',
          'Hệ thống đang bận. Vui lòng thử lại sau ít giây.',
        ),
      );
      return;
    }
    pending++;
    perAddress.set(ip, mine + 1);
    let finished = false;
    const finish = () => {
      if (finished) {
        return;
      }
      finished = true;
      pending--;
      const left = (perAddress.get(ip) ?? 1) - 1;
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
