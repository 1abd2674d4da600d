import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { AppError, NotFound } from '../errors.ts';
import { sameSecret } from '../http/same-secret.ts';

/** What a gateway's report says became of one SMS; other statuses (accepted, en route…) change nothing. */
const DELIVERED = new Set(['delivered', 'delivrd', 'success']);
const FAILED = new Set(['failed', 'undelivered', 'undeliv', 'expired', 'rejected', 'rejectd']);

const ZReport = z.object({
  reference: z
    .union([z.string().regex(/^\d{1,15}$/), z.number().int().positive()])
    .describe('The `reference` the SMS was sent with (our notification id)'),
  messageId: z.string().max(200).optional().describe("The gateway's message id; checked when given"),
  status: z.string().min(1).max(40).describe('delivered / DELIVRD, failed / UNDELIV / EXPIRED / REJECTD …'),
  error: z.string().max(300).optional(),
  at: z.iso.datetime({ offset: true }).optional().describe('When the handset got it (default: now)'),
});
const ZReports = z.union([ZReport, z.array(ZReport).min(1).max(1000)]);
export type SmsDeliveryReport = z.infer<typeof ZReport>;

/**
 * Records the gateway's delivery reports on the SMS they are about, by the batch in one statement: `sent`
 * becomes `delivered` or `failed`, never the other way, so a repeated or late report changes nothing.
 * Returns how many SMS changed.
 */
export async function recordSmsDeliveryReports(
  app: AppContext,
  reports: SmsDeliveryReport[],
): Promise<number> {
  const now = app.clock();
  const outcomes = reports.flatMap((r) => {
    const status = r.status.toLowerCase();
    const state = DELIVERED.has(status) ? 'delivered' : FAILED.has(status) ? 'failed' : undefined;
    return state
      ? [
          {
            id: Number(r.reference),
            messageId: r.messageId ?? null,
            state,
            at: r.at ? new Date(r.at) : now,
            r,
          },
        ]
      : [];
  });
  if (outcomes.length === 0) {
    return 0;
  }
  const changed = await sql<{ id: number }>`
    update notification n set
      state = r.state,
      delivered_at = case when r.state = 'delivered' then r.at end,
      failed_at = case when r.state = 'failed' then r.at end,
      error_message = case when r.state = 'failed' then r.error end,
      error_vi = case when r.state = 'failed' then 'SMS không tới được người nhận (theo báo cáo của cổng SMS).' end,
      updated_at = ${now}
    from unnest(${outcomes.map((o) => o.id)}::bigint[], ${outcomes.map((o) => o.messageId)}::text[],
                ${outcomes.map((o) => o.state)}::text[], ${outcomes.map((o) => o.at)}::timestamptz[],
                ${outcomes.map((o) => `SMS gateway reported ${o.r.status}${o.r.error ? `: ${o.r.error}` : ''}`)}::text[])
      as r (id, message_id, state, at, error)
    where n.id = r.id and n.channel = 'sms' and n.state = 'sent'
      and (r.message_id is null or n.provider_msg_id = r.message_id)
    returning n.id`.execute(app.db);
  return changed.rows.length;
}

/**
 * `POST /webhooks/sms`: the brandname gateway's delivery reports (one report or an array), authenticated by
 * SMS_DLR_TOKEN as a Bearer token or `?token=` (gateways that can only call a URL). Answers 200 with how many
 * SMS changed, also when none did (a report for an unknown or already settled SMS must not be retried).
 */
export function smsDeliveryReportRoutes(app: AppContext) {
  const expected = app.config.sms.deliveryReportToken;
  return async (fastify: FastifyInstance) => {
    fastify.withTypeProvider<ZodTypeProvider>().post(
      '/webhooks/sms',
      {
        schema: {
          tags: ['Webhooks'],
          summary: 'SMS delivery reports from the brandname gateway (Bearer SMS_DLR_TOKEN or ?token=)',
          querystring: z.object({ token: z.string().max(200).optional() }),
          body: ZReports,
          response: { 200: z.object({ updated: z.number().int() }) },
        },
      },
      async (req) => {
        if (!expected) {
          throw NotFound('route', 'POST /webhooks/sms (SMS_DLR_TOKEN is not set)', 'Không tìm thấy.');
        }
        if (!tokenMatches(req.headers.authorization, req.query.token, expected)) {
          throw new AppError(
            'bad_token',
            'Bad or missing SMS delivery report token (SMS_DLR_TOKEN)',
            'Mã xác thực không hợp lệ.',
          );
        }
        const body = req.body;
        return { updated: await recordSmsDeliveryReports(app, Array.isArray(body) ? body : [body]) };
      },
    );
  };
}

function tokenMatches(
  authorization: string | undefined,
  query: string | undefined,
  expected: string,
): boolean {
  const given = authorization?.startsWith('Bearer ') ? authorization.slice(7) : query;
  return given !== undefined && sameSecret(given, expected);
}
