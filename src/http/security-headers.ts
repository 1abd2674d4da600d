import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { Config } from '../config.ts';

/**
 * The officer app's Content-Security-Policy, and the default of every response that sets none of its own
 * (the look-up pages, the sandbox pages and the error page set theirs).
 */
export const APP_CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  // Ant Design injects its CSS-in-JS as <style> elements.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
};

export const APP_CSP = Object.entries(APP_CSP_DIRECTIVES)
  .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
  .join('; ');

/**
 * Security headers on every response, from helmet: the CSP above (so `/index.html` served as a file has it
 * too), HSTS when PUBLIC_BASE_URL is https, nosniff, Referrer-Policy same-origin, and frames only from our own
 * pages (the sandbox's phone simulator shows the look-up page in one).
 *
 * The headers do not depend on the request, so helmet runs once at start-up and every request gets the
 * recorded headers, set on the raw response in helmet's order (a route's own `reply.header` still replaces
 * one, as the look-up pages do with their CSP). @fastify/helmet built a new helmet middleware for every
 * request, parsing the CSP directives each time: about 10 % of the public look-up's CPU.
 */
export async function registerSecurityHeaders(fastify: FastifyInstance, config: Config): Promise<void> {
  const headers = helmetHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: APP_CSP_DIRECTIVES },
    strictTransportSecurity: config.http.publicBaseUrl.startsWith('https:')
      ? { maxAge: 31_536_000, includeSubDomains: true }
      : false,
    frameguard: { action: 'sameorigin' },
    referrerPolicy: { policy: 'same-origin' },
    // The OA QR and the poster may be shown by the province's own portal.
    crossOriginResourcePolicy: { policy: 'same-site' },
    crossOriginEmbedderPolicy: false,
  });
  fastify.addHook('onRequest', (_request, reply, done) => {
    const raw = reply.raw;
    for (const [name, value] of headers) {
      raw.setHeader(name, value);
    }
    done();
  });
}

type HeaderValue = string | number | readonly string[];

/** The headers helmet sets with `options`, in its order, recorded on a stand-in response. */
export function helmetHeaders(options: HelmetOptions): [string, HeaderValue][] {
  const headers: [string, HeaderValue][] = [];
  const recorder = {
    setHeader(name: string, value: HeaderValue) {
      headers.push([name, value]);
      return recorder;
    },
    removeHeader() {},
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    failure = err;
  });
  if (failure) {
    throw failure;
  }
  return headers;
}
