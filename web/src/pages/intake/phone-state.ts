// A relative import (not the @contracts alias) so node:test can run this module as well as Vite.
import { normalisePhone, type PhoneResult } from '../../../../src/contracts/phone.ts';

export type PhoneInfo =
  | { ok: false; message: string | null }
  | { ok: true; display: string; mobile: boolean; convertedFrom?: string };

/** What the phone field holds, as the officer types: normalised, converted, or why not yet valid. */
export function phoneState(value: string): PhoneInfo {
  if (value.trim() === '') {
    return { ok: false, message: null };
  }
  const r: PhoneResult = normalisePhone(value);
  if (!r.ok) {
    // Do not shout while the number is still being typed.
    const digits = value.replace(/\D/g, '').length;
    return { ok: false, message: r.problem === 'characters' || digits >= 10 ? r.userMessage : null };
  }
  return {
    ok: true,
    display: r.display,
    mobile: r.mobile,
    ...(r.convertedFrom ? { convertedFrom: r.convertedFrom } : {}),
  };
}
