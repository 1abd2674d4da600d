/**
 * Reserved test recipients (like GOV.UK Notify's 07700900xxx): phones 0900 000 0NN never leave the product
 * and get a simulated outcome, so training and smoke tests can run in production without reaching a citizen.
 *   0900 000 000–039: delivered · 040–069: not a Zalo user · 070–099: failed.
 */
export const TEST_RECIPIENT_PREFIX = '849000000';

export type TestOutcome = 'delivered' | 'not_on_zalo' | 'failed';

export function testRecipientOutcome(phone: string): TestOutcome | undefined {
  if (!phone.startsWith(TEST_RECIPIENT_PREFIX) || phone.length !== 11) {
    return undefined;
  }
  const n = Number(phone.slice(-2));
  return n < 40 ? 'delivered' : n < 70 ? 'not_on_zalo' : 'failed';
}
