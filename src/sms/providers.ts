import type { AppContext } from '../app-context.ts';
import { httpGateway } from './http-gateway.ts';
import type { SmsProvider } from './provider.ts';
import { isReservedSmsNumber, smsSandbox } from './sandbox.ts';

/** The provider for one number: reserved test numbers always stay in the sandbox; undefined: SMS is off. */
export function smsProviderFor(app: AppContext, phone: string): SmsProvider | undefined {
  if (isReservedSmsNumber(phone) || app.config.sms.provider === 'sandbox') {
    return smsSandbox(app);
  }
  return app.config.sms.provider === 'http' ? httpGateway(app.config.sms) : undefined;
}
