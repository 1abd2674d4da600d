/**
 * Dossier codes as citizens type them: `000.17.22.H56-210531-0001` in any case, with spaces, missing or
 * doubled dashes and dots, full-width characters (Vietnamese keyboards on phones produce them), inside a
 * sentence, several in one message. Every code has the same skeleton — 7 digits, a letter and 2 digits of
 * agency code, 6 digits of date, 4 of sequence — so we match the skeleton with any separators between its
 * characters and rebuild the canonical form.
 */
const SEPARATORS = '[\\s.\\-_/,:·•‐‑‒–—−]*';
const skeleton = ['\\d{3}', '\\d{2}', '\\d{2}', '[A-Z]\\d{2}', '\\d{2}', '\\d{2}', '\\d{2}', '\\d{4}']
  .map((part) =>
    part
      .replace(/\\d\{(\d)\}/g, (_m, n: string) => Array(Number(n)).fill('\\d').join(SEPARATORS))
      .replace('[A-Z]', `[A-Z]${SEPARATORS}`),
  )
  .join(SEPARATORS);
const CODE_IN_TEXT = new RegExp(`(?<![\\dA-Z])(${skeleton})(?!\\d)`, 'g');

/** How many codes one message may look up: more is a script, not a citizen. */
export const MAX_CODES_PER_MESSAGE = 5;

/**
 * Agencies whose identifier does not follow the national skeleton still issue `<identifier>-YYMMDD-NNNN`:
 * those are recognised when the dashes are there.
 */
const ANY_AGENCY_CODE =
  /(?<![0-9A-Z.])([0-9A-Z]+(?:\.[0-9A-Z]+)*)\s*[-‐‑‒–—−]+\s*(\d{6})\s*[-‐‑‒–—−]+\s*(\d{4})(?!\d)/g;

/** A national code exactly as we print it: what links, QR codes and most look-ups carry. */
const CANONICAL_NATIONAL = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}$/;

/** Canonical codes found in `text`, in order, without repeats. */
export function findDossierCodes(text: string): string[] {
  if (CANONICAL_NATIONAL.test(text)) {
    // What the search below would find, without normalising and scanning the text twice.
    return [text];
  }
  const normalised = text.normalize('NFKC').toUpperCase();
  const matches: { at: number; end: number; code: string }[] = [];
  for (const m of normalised.matchAll(CODE_IN_TEXT)) {
    const c = m[1]!.replace(/[^0-9A-Z]/g, '');
    matches.push({
      at: m.index,
      end: m.index + m[0].length,
      code: `${c.slice(0, 3)}.${c.slice(3, 5)}.${c.slice(5, 7)}.${c.slice(7, 10)}-${c.slice(10, 16)}-${c.slice(16, 20)}`,
    });
  }
  const national = [...matches];
  for (const m of normalised.matchAll(ANY_AGENCY_CODE)) {
    const end = m.index + m[0].length;
    if (!national.some((n) => m.index < n.end && n.at < end)) {
      matches.push({ at: m.index, end, code: `${m[1]}-${m[2]}-${m[3]}` });
    }
  }
  const found: string[] = [];
  for (const { code } of matches.sort((a, b) => a.at - b.at)) {
    if (!found.includes(code)) {
      found.push(code);
    }
    if (found.length === MAX_CODES_PER_MESSAGE) {
      break;
    }
  }
  return found;
}

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
