import type { AppContext } from '../app-context.ts';
import type { SmsMessage, SmsProvider, SmsResult } from './provider.ts';

/**
 * The built-in SMS sandbox: used when no gateway is configured, and always for the reserved test numbers
 * 0900 000 000–099 (they never leave the product, like GOV.UK Notify's 07700900xxx). Messages are kept in
 * the database so every node and the phone simulator see them. Reserved numbers simulate the gateway:
 *   0900 000 080–089: the gateway is down (HTTP 503: retried, then failed)
 *   0900 000 090–099: the gateway refuses the number (permanent)
 *   every other number: accepted and delivered to the simulated phone at once.
 */
export const SMS_TEST_PREFIX = '849000000';

export function isReservedSmsNumber(phone: string): boolean {
  return phone.startsWith(SMS_TEST_PREFIX) && phone.length === 11;
}

export function smsSandbox(app: AppContext): SmsProvider {
  return {
    name: 'sandbox',
    async send(message: SmsMessage): Promise<SmsResult> {
      if (isReservedSmsNumber(message.to)) {
        const n = Number(message.to.slice(-2));
        if (n >= 80 && n < 90) {
          return {
            ok: false,
            kind: 'transient',
            code: '503',
            message: 'SMS gateway HTTP 503: service unavailable (sandbox test number)',
          };
        }
        if (n >= 90) {
          return {
            ok: false,
            kind: 'permanent',
            code: '400',
            message: 'SMS gateway refused the number (sandbox test number)',
          };
        }
      }
      const row = await app.db
        .insertInto('sandbox_sms')
        .values({
          phone: message.to,
          brandname: app.config.sms.brandname,
          body: message.text,
          encoding: message.encoding,
          segments: message.segments,
          reference: message.reference,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { ok: true, providerMessageId: `sandbox-sms-${row.id}`, delivered: true };
    },
  };
}
