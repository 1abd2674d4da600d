import { createHmac } from 'node:crypto';
import { sameSecret } from './same-secret.ts';

/**
 * What a link that carries a dossier code is for. The purpose is signed with the code, so that the receipt QR's
 * look-up signature does not open the rating page, nor the rating invitation's signature the full look-up.
 */
export type CodeLinkPurpose = 'lookup' | 'rating';

/** The `sig` of a link to `code` for `purpose`: 22 characters of an HMAC-SHA256 in base64url. */
export function codeSignature(secret: string, purpose: CodeLinkPurpose, code: string): string {
  return createHmac('sha256', secret).update(`${purpose}:${code}`).digest('base64url').slice(0, 22);
}

/** Whether `sig` (absent when the link had none) is the signature of `code` for `purpose`. */
export function verifyCodeSignature(
  secret: string,
  purpose: CodeLinkPurpose,
  code: string,
  sig: string | undefined,
): boolean {
  return sig !== undefined && sameSecret(sig, codeSignature(secret, purpose, code));
}
