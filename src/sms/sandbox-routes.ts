import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { normalisePhone } from '../contracts/phone.ts';
import { invalid } from '../errors.ts';
import { actorOfRequest, officerAuth } from '../http/auth.ts';

/**
 * What the SMS sandbox delivered to one number, and the SMS for it that the quiet hours hold back (with
 * `sendAt`): the phone simulator shows both next to the Zalo thread. Only the SMS of the officer's own
 * agency's dossiers are shown.
 */
export function smsSandboxRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/sandbox/api/sms',
      {
        preHandler: officerAuth(app),
        schema: { hide: true, querystring: z.object({ phone: z.string().min(1).max(30) }) },
      },
      async (req) => {
        const phone = normalisePhone(req.query.phone);
        if (!phone.ok) {
          throw invalid('phone', 'not a Vietnamese phone number', 'Số điện thoại không hợp lệ.');
        }
        const rows = await app.db
          .selectFrom('sandbox_sms')
          .selectAll()
          .where('phone', '=', phone.stored)
          .where(({ exists, selectFrom }) =>
            exists(
              selectFrom('notification as n')
                .innerJoin('dossier as d', 'd.id', 'n.dossier_id')
                .select('n.id')
                .where('d.agency_id', '=', actorOfRequest(req).agencyId)
                .whereRef(sql`n.id::text`, '=', 'sandbox_sms.reference'),
            ),
          )
          .orderBy('id', 'desc')
          .limit(100)
          .execute();
        const held = await app.db
          .selectFrom('notification')
          .select(['id', 'rendered', 'sms_encoding', 'sms_segments', 'next_attempt_at', 'error_vi'])
          .where('channel', '=', 'sms')
          .where('recipient', '=', phone.stored)
          .where('state', 'in', ['queued', 'waiting'])
          .where('next_attempt_at', '>', app.clock())
          .orderBy('id')
          .limit(20)
          .execute();
        return [
          ...rows.reverse().map((m) => ({
            id: m.id,
            from: m.brandname,
            text: m.body,
            encoding: m.encoding,
            segments: m.segments,
            receivedAt: new Date(m.received_at).toISOString(),
            sendAt: null,
            note: null,
          })),
          ...held.map((n) => ({
            id: -n.id,
            from: app.config.sms.brandname,
            text: n.rendered,
            encoding: n.sms_encoding,
            segments: n.sms_segments,
            receivedAt: null,
            sendAt: new Date(n.next_attempt_at!).toISOString(),
            /** Why it waits: the quiet hours, or a retry after the gateway failed. */
            note: n.error_vi,
          })),
        ];
      },
    );
  };
}
