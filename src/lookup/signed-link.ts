import { createHmac } from 'node:crypto';
import { sameSecret } from '../http/same-secret.ts';

/**
 * The receipt QR carries `PUBLIC_BASE_URL/tra-cuu/<code>?sig=<hmac>`: holding the paper receipt is the
 * second factor, so a signed link may show more than an anonymous look-up by code.
 */
export function lookupSignature(secret: string, code: string): string {
  return createHmac('sha256', secret).update(`lookup:${code}`).digest('base64url').slice(0, 22);
}

export function verifyLookupSignature(secret: string, code: string, sig: string | undefined): boolean {
  return sig !== undefined && sameSecret(sig, lookupSignature(secret, code));
}

export function signedLookupUrl(publicBaseUrl: string, secret: string, code: string): string {
  return `${publicBaseUrl}/tra-cuu/${encodeURIComponent(code)}?sig=${lookupSignature(secret, code)}`;
}
