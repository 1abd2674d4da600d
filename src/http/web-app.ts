import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendNotFound } from './errors.ts';
import { APP_CSP } from './security-headers.ts';

/** Where `npm run build` puts the officer app. */
export const WEB_DIST = path.resolve(import.meta.dirname, '../../web/dist');

/** Paths that belong to the server, never to the single-page app. */
const SERVER_PREFIXES = [
  '/api/',
  '/docs',
  '/webhooks/',
  '/healthz',
  '/readyz',
  '/metrics',
  '/tra-cuu',
  '/qrcode/',
  '/sandbox/',
];

/** Serves the built officer app (hashed assets cached for a year) and its index for client-side routes. */
export async function registerWebApp(fastify: FastifyInstance): Promise<void> {
  const built = existsSync(path.join(WEB_DIST, 'index.html'));
  if (built) {
    await fastify.register(fastifyStatic, {
      root: WEB_DIST,
      wildcard: false,
      index: false,
      // scripts/build.js writes .br/.gz beside each asset.
      preCompressed: true,
      setHeaders: (res, file) => {
        res.header(
          'Cache-Control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  fastify.get('/*', { schema: { hide: true } }, async (request, reply) => {
    // Built files are served by @fastify/static; a missing asset is a 404, any other path is a screen of the
    // app (dossier codes contain dots, so "has an extension" cannot tell them apart).
    if (SERVER_PREFIXES.some((p) => request.url.startsWith(p)) || request.url.startsWith('/assets/')) {
      return sendNotFound(request, reply);
    }
    if (!built) {
      return reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><p>Giao diện chưa được build. Chạy <code>npm run build</code>.</p>',
        );
    }
    return reply
      .header('Content-Security-Policy', APP_CSP)
      .header('Cache-Control', 'no-cache')
      .sendFile('index.html');
  });
}
