import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../app-context.ts';
import { formatVnDate, vnDateOf, vnTimeOf } from '../calendar/index.ts';
import { ZIdParams } from '../contracts/ids.ts';
import { NotFound } from '../errors.ts';
import { actorOfRequest, officerAuth } from '../http/auth.ts';
import { escapeHtml } from '../http/html.ts';

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#eef2f7;color:#1f2937}
main{max-width:960px;margin:0 auto;background:#fff;min-height:100vh}
header{background:#0068ff;color:#fff;padding:12px 16px;font-weight:600}
.pad{padding:12px 16px}table{border-collapse:collapse;width:100%;font-size:14px}
td,th{border-bottom:1px solid #e5e7eb;padding:6px;text-align:left;vertical-align:top}
.muted{color:#6b7280;font-size:13px}pre{white-space:pre-wrap;background:#f8fafc;padding:12px;border-radius:8px}
iframe{width:100%;height:60vh;border:1px solid #cbd5e1;border-radius:8px}`;

const html = (title: string, body: string) =>
  `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;

/** "22:50:55 07/12/2026": the time, then the date as dd/MM/yyyy like every other screen. */
const time = (d: Date) => {
  const at = new Date(d);
  return `${vnTimeOf(at)} ${formatVnDate(vnDateOf(at))}`;
};

/**
 * The sandbox mailbox (`/sandbox/mail`, signed-in officers): the emails the built-in mail catcher received,
 * each with its text and HTML bodies. The HTML is served on its own with a CSP sandbox, so nothing in a
 * message can run scripts in the officer's session.
 */
export function mailboxRoutes(app: AppContext) {
  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    const guard = { preHandler: officerAuth(app) };
    const ZId = ZIdParams;
    // An officer sees the emails sent for their own agency's dossiers, as everything else is scoped; an
    // administrator also sees the emails that belong to no dossier (the alert e-mails of docs/operations.md).
    const visibleTo = (req: FastifyRequest) => {
      const actor = actorOfRequest(req);
      const isAdmin = actor.kind === 'user' && actor.role === 'admin';
      return app.db.selectFrom('sandbox_mail').where(({ exists, not, or, selectFrom }) => {
        const sentFor = selectFrom('notification as n')
          .select('n.id')
          .where('n.channel', '=', 'email')
          .whereRef('n.provider_msg_id', '=', 'sandbox_mail.message_id');
        const ofAgency = exists(
          sentFor.innerJoin('dossier as d', 'd.id', 'n.dossier_id').where('d.agency_id', '=', actor.agencyId),
        );
        return isAdmin ? or([ofAgency, not(exists(sentFor))]) : ofAgency;
      });
    };
    const find = async (req: FastifyRequest, id: number) => {
      const mail = await visibleTo(req).selectAll().where('id', '=', id).executeTakeFirst();
      if (!mail) {
        throw NotFound('mail', String(id), 'Không tìm thấy thư.');
      }
      return mail;
    };

    r.get('/sandbox/mail', { ...guard, schema: { hide: true } }, async (req, reply) => {
      const mails = await visibleTo(req)
        .select(['id', 'rcpt_to', 'subject', 'received_at'])
        .orderBy('id', 'desc')
        .limit(200)
        .execute();
      const rows = mails
        .map(
          (m) =>
            `<tr><td>${time(m.received_at)}</td><td>${escapeHtml(m.rcpt_to.join(', '))}</td><td><a href="/sandbox/mail/${m.id}">${escapeHtml(m.subject || '(không có tiêu đề)')}</a></td></tr>`,
        )
        .join('');
      return reply
        .type('text/html; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .send(
          html(
            'Hộp thư sandbox',
            `<header>Hộp thư sandbox</header><div class="pad"><p class="muted">Thư do bộ nhận thư tích hợp (SMTP) nhận được khi chưa cấu hình SMTP_URL. Không thư nào được gửi ra ngoài.</p>
<table><thead><tr><th>Thời gian</th><th>Người nhận</th><th>Tiêu đề</th></tr></thead><tbody>${rows || '<tr><td colspan="3" class="muted">Chưa có thư.</td></tr>'}</tbody></table></div>`,
          ),
        );
    });

    r.get('/sandbox/mail/:id', { ...guard, schema: { hide: true, params: ZId } }, async (req, reply) => {
      const m = await find(req, req.params.id);
      return reply
        .type('text/html; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .send(
          html(
            m.subject,
            `<header>${escapeHtml(m.subject || '(không có tiêu đề)')}</header><div class="pad">
<p><a href="/sandbox/mail">← Hộp thư</a></p>
<table><tr><th>Người gửi</th><td>${escapeHtml(m.mail_from)}</td></tr><tr><th>Người nhận</th><td>${escapeHtml(m.rcpt_to.join(', '))}</td></tr>
<tr><th>Thời gian</th><td>${time(m.received_at)}</td></tr><tr><th>Kích thước</th><td>${m.size} byte</td></tr></table>
<h3>HTML</h3>${m.html_body ? `<iframe title="Nội dung HTML" src="/sandbox/mail/${m.id}/html"></iframe>` : '<p class="muted">Thư không có phần HTML.</p>'}
<h3>Văn bản</h3><pre>${escapeHtml(m.text_body)}</pre></div>`,
          ),
        );
    });

    r.get('/sandbox/mail/:id/html', { ...guard, schema: { hide: true, params: ZId } }, async (req, reply) => {
      const m = await find(req, req.params.id);
      return reply
        .type('text/html; charset=utf-8')
        .header(
          'Content-Security-Policy',
          "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        )
        .send(m.html_body ?? '');
    });
  };
}
