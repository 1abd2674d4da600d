/**
 * One small adapter per SMS provider behind one interface: the fallback sender neither knows nor cares
 * which gateway is configured. Provider errors are data (a result), never exceptions that escape a task.
 */
export interface SmsMessage {
  /** 84XXXXXXXXX */
  to: string;
  text: string;
  encoding: 'gsm7' | 'ucs2';
  segments: number;
  /** Our notification id, for the provider's delivery reports and our logs. */
  reference: string;
}

export type SmsResult =
  | { ok: true; providerMessageId: string; delivered: boolean }
  | { ok: false; kind: 'transient' | 'permanent'; code: string | null; message: string };

export interface SmsProvider {
  readonly name: 'http' | 'sandbox';
  send(message: SmsMessage): Promise<SmsResult>;
}
