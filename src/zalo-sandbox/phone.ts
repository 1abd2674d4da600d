/**
 * Phone numbers as Zalo's ZBS accepts them (§3.1.3): 84xxxxxxxxx, 0xxxxxxxxx or xxxxxxxxx (Vietnamese mobiles).
 * Returns the 84… form, or undefined (→ -108).
 */
export function zaloPhone(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const m = /^(?:84|0)?([35789]\d{8})$/.exec(value.trim());
  return m ? `84${m[1]}` : undefined;
}
