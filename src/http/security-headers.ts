import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
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
 * Security headers on every response, through @fastify/helmet: the CSP above (so `/index.html` served as a
 * file has it too), HSTS when PUBLIC_BASE_URL is https, nosniff, Referrer-Policy same-origin, and frames only
 * from our own pages (the sandbox's phone simulator shows the look-up page in one).
 */
export async function registerSecurityHeaders(fastify: FastifyInstance, config: Config): Promise<void> {
  await fastify.register(fastifyHelmet, {
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
}
