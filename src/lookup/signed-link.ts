import { codeSignature, verifyCodeSignature } from '../http/signed-code.ts';

/**
 * The receipt QR carries `PUBLIC_BASE_URL/tra-cuu/<code>?sig=<hmac>`: holding the paper receipt is the
 * second factor, so a signed link may show more than an anonymous look-up by code.
 */
export function lookupSignature(secret: string, code: string): string {
  return codeSignature(secret, 'lookup', code);
}

export function verifyLookupSignature(secret: string, code: string, sig: string | undefined): boolean {
  return verifyCodeSignature(secret, 'lookup', code, sig);
}

export function signedLookupUrl(publicBaseUrl: string, secret: string, code: string): string {
  return `${publicBaseUrl}/tra-cuu/${encodeURIComponent(code)}?sig=${lookupSignature(secret, code)}`;
}
