import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import jpeg from 'jpeg-js';
import { ADMIN_BODY, ADMIN_SCRIPT } from './admin-page.ts';
import { page } from './html.ts';
import { PHONE_BODY, PHONE_SCRIPT } from './phone-page.ts';

/**
 * The phone simulator (`/sandbox/phone`): what the citizen sees in Zalo — the OA thread with template and
 * consultation messages and delivery ticks, follow / unfollow, typing to the OA, scanning a QR, and a switch
 * for "this number has no Zalo". And a small admin page (`/sandbox/admin`) over the sandbox API.
 */
export function sandboxPages(guards: { phone?: preHandlerHookHandler; admin?: preHandlerHookHandler }) {
  return async (fastify: FastifyInstance) => {
    fastify.get('/sandbox/phone', guards.phone ? { preHandler: guards.phone } : {}, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .send(page('Điện thoại mô phỏng — Zalo', PHONE_BODY, PHONE_SCRIPT)),
    );
    // The photo the simulator "sends" to the OA (a user_send_image carries only its URL).
    fastify.get('/sandbox/sample-photo.jpg', async (_request, reply) =>
      reply.type('image/jpeg').send(samplePhoto()),
    );
    fastify.get('/sandbox/admin', guards.admin ? { preHandler: guards.admin } : {}, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .send(page('Zalo sandbox', ADMIN_BODY, ADMIN_SCRIPT)),
    );
  };
}

let photo: Buffer | undefined;
function samplePhoto(): Buffer {
  if (!photo) {
    const width = 64;
    const height = 48;
    const data = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      data.set([0, 104, 255, 255], i * 4);
    }
    photo = jpeg.encode({ data, width, height }, 80).data;
  }
  return photo;
}
