import { timingSafeEqual } from 'node:crypto';

/**
 * Whether a secret that came in (a signature, a token, the last digits of a phone) equals the expected one, in
 * a time that does not tell how much of it was right. Different lengths are simply unequal.
 */
export function sameSecret(given: string | Buffer, expected: string | Buffer): boolean {
  const a = typeof given === 'string' ? Buffer.from(given) : given;
  const b = typeof expected === 'string' ? Buffer.from(expected) : expected;
  return a.length === b.length && timingSafeEqual(a, b);
}
