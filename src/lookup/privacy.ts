import { sameSecret } from '../http/same-secret.ts';

/**
 * What a look-up may reveal. TT 01/2018 Art. 16: knowing the code alone entitles to the code and how far
 * handling has got; more (name, requested documents, amounts, messages sent) needs proof of being the
 * applicant — the signed receipt link, or the last 4 digits of the applicant's phone or ID number.
 */
export type LookupAccess = 'public' | 'verified';

/** "Nguyễn Văn An" → "Nguyễn V. A.": recognisable by its owner, useless to anyone else. */
export function maskName(fullName: string): string {
  const words = fullName.normalize('NFC').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return '';
  }
  const initial = (w: string) => `${Array.from(w)[0]!.toLocaleUpperCase('vi')}.`;
  if (words.length === 1) {
    return initial(words[0]!);
  }
  return [words[0]!, ...words.slice(1).map(initial)].join(' ');
}

/** The second factor: the last 4 digits of the stored phone or of the ID number, compared in constant time. */
export function matchesSecondFactor(given: string, phone: string, idNumber: string): boolean {
  const digits = given.normalize('NFKC').replace(/\D/g, '');
  if (digits.length !== 4) {
    return false;
  }
  // Both comparisons run, so the time does not tell which one matched.
  const byPhone = sameSecret(digits, phone.slice(-4).padStart(4, '#'));
  const byId = sameSecret(digits, idNumber.slice(-4).padStart(4, '#'));
  return byPhone || byId;
}
