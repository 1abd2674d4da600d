import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Database } from '../db/pool.ts';
import type { Logger } from '../logger.ts';

const MAX_BYTES = 10 * 1024 * 1024;

export interface MailCatcher {
  port: number;
  close(): Promise<void>;
}

/**
 * The built-in mail catcher (used when no SMTP_URL is set): a real SMTP server (smtp-server) on a free
 * loopback port, so email goes through nodemailer's real SMTP path; every message is parsed and kept in the
 * database (`sandbox_mail`), where the sandbox mailbox page of any node shows it. One per process and
 * database; it does not keep the process alive.
 */
export function startMailCatcher(db: Database, logger: Logger): Promise<MailCatcher> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: MAX_BYTES,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const to = (session.envelope.rcptTo ?? []).map((r) => r.address);
          await db
            .insertInto('sandbox_mail')
            .values({
              message_id: mail.messageId ?? null,
              mail_from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              rcpt_to: to,
              subject: mail.subject ?? '',
              text_body: mail.text ?? '',
              html_body: typeof mail.html === 'string' ? mail.html : null,
              size: stream.byteLength,
            })
            .execute();
          callback();
        })
        .catch((err: unknown) => {
          logger.error({ err }, 'mail catcher could not store a message');
          callback(new Error('451 could not store the message'));
        });
    },
  });
  return new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.server.unref();
      resolve({
        port: (server.server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
