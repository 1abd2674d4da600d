import { findDossierCodes } from '../contracts/dossier-code.ts';

// The parser of codes in free text is shared with the officer app and the API: src/contracts/dossier-code.ts.
export { findDossierCodes, MAX_CODES_PER_MESSAGE } from '../contracts/dossier-code.ts';

/** The code in one of our look-up links (`…/tra-cuu/<code>?sig=…`), as the receipt QR carries it. */
export function codeFromLookupUrl(url: string, publicBaseUrl: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  const base = new URL(publicBaseUrl);
  if (parsed.host !== base.host) {
    return undefined;
  }
  const m = /^\/tra-cuu\/([^/]+)\/?$/.exec(parsed.pathname);
  return m ? findDossierCodes(decodeURIComponent(m[1]!))[0] : undefined;
}
