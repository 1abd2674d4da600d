import nodemailer, { type Transporter } from 'nodemailer';
import type { AppContext } from '../app-context.ts';
import type { Database } from '../db/pool.ts';
import type { MailCatcher } from './catcher.ts';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Our notification id, as a header: bounces and the mailbox page can be traced back. */
  reference: string;
}

export type EmailResult =
  | { ok: true; messageId: string }
  | { ok: false; kind: 'transient' | 'permanent'; code: string | null; message: string };

/** Per app (src/app-caches.ts) and database handle: the transport, and the mail catcher it sends to, if any. */
function mailTransports(): WeakMap<Database, Promise<{ transport: Transporter; catcher?: MailCatcher }>> {
  return new WeakMap();
}

/** The SMTP transport: SMTP_URL, or the in-process mail catcher started on first use. Undefined: email is off. */
function transportFor(app: AppContext) {
  if (app.config.mail.transport === 'none') {
    return undefined;
  }
  const transports = app.caches.of(mailTransports);
  let entry = transports.get(app.db);
  if (!entry) {
    entry =
      app.config.mail.transport === 'smtp'
        ? Promise.resolve({ transport: nodemailer.createTransport(app.config.mail.smtpUrl) })
        : // The catcher's SMTP server and parser are loaded only where it runs (never with SMTP_URL).
          import('./catcher.ts')
            .then(({ startMailCatcher }) => startMailCatcher(app.db, app.logger))
            .then((catcher) => ({
              catcher,
              transport: nodemailer.createTransport({
                host: '127.0.0.1',
                port: catcher.port,
                secure: false,
                ignoreTLS: true,
              }),
            }));
    entry.catch(() => transports.delete(app.db));
    transports.set(app.db, entry);
  }
  return entry;
}

/** Stops the app's mail catcher, if one was started (tests, shutdown). */
export async function stopMailCatcher(app: Pick<AppContext, 'db' | 'caches'>): Promise<void> {
  const transports = app.caches.of(mailTransports);
  const entry = transports.get(app.db);
  transports.delete(app.db);
  const t = await entry?.catch(() => undefined);
  t?.transport.close();
  await t?.catcher?.close();
}

/** One email over SMTP. SMTP 4xx and network errors are transient, 5xx and bad addresses permanent. */
export async function sendEmail(app: AppContext, message: EmailMessage): Promise<EmailResult | undefined> {
  const entry = transportFor(app);
  if (!entry) {
    return undefined;
  }
  try {
    const { transport } = await entry;
    const info = await transport.sendMail({
      from: app.config.mail.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: { 'X-Motcua-Notification': message.reference },
    });
    return { ok: true, messageId: String(info.messageId ?? `mail-${message.reference}`) };
  } catch (err) {
    const e = err as { responseCode?: number; code?: string; message?: string };
    const permanent = (e.responseCode !== undefined && e.responseCode >= 500) || e.code === 'EENVELOPE';
    return {
      ok: false,
      kind: permanent ? 'permanent' : 'transient',
      code: e.responseCode !== undefined ? String(e.responseCode) : (e.code ?? null),
      message: `SMTP: ${e.message ?? String(err)}`.slice(0, 500),
    };
  }
}
