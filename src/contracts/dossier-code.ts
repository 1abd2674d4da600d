/**
 * Dossier codes `<agency identifier>-YYMMDD-NNNN` (TT 01/2018 Art. 19; e.g. 000.17.22.H56-210531-0001).
 * The sequence lives in PostgreSQL (dossier_code_counter, see src/dossiers/insert-received.ts): the upsert locks the
 * (agency, day) row until the intake commits, so concurrent intakes on any number of nodes get consecutive
 * numbers, and a rolled-back intake returns its number — no gaps, no duplicates.
 */
export const MAX_DAILY_SEQUENCE = 9999;

export function formatDossierCode(agencyCode: string, day: string, sequence: number): string {
  return `${dossierCodePrefix(agencyCode, day)}${String(sequence).padStart(4, '0')}`;
}

/** `<agency code>-YYMMDD-`: the code without its 4-digit sequence. */
export function dossierCodePrefix(agencyCode: string, day: string): string {
  return `${agencyCode}-${day.slice(2, 4)}${day.slice(5, 7)}${day.slice(8, 10)}-`;
}

/** Loose form of a code for searching: upper case, no spaces, every kind of dash as `-`. */
export function normaliseCodeQuery(q: string): string {
  return q
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[‐‑‒–—−]/g, '-')
    .toUpperCase();
}

/**
 * The one dossier code `text` is, in canonical form, however it was typed or printed (any case, spaces, other
 * dashes, full-width characters), or undefined when it is not exactly one code. Every channel reads codes with
 * it: the officer app's addresses and searches, the template preview, the API, `/tra-cuu` and the Zalo bot.
 */
export function parseDossierCode(text: string): string | undefined {
  const codes = findDossierCodes(text);
  if (codes.length !== 1) {
    return undefined;
  }
  // Nothing but the code and separators: "hồ sơ 000.…" is a sentence, not a code (the bot reads sentences).
  const rest = normaliseCodeQuery(text).replace(/[^0-9A-Z]/g, '');
  return rest === codes[0]!.replace(/[^0-9A-Z]/g, '') ? codes[0] : undefined;
}

/**
 * The end of a code as officers type it to find a dossier: `261207-0007`, `H50-261207-0007`,
 * `01.H50 - 261207 - 0007` (the day and the number, optionally preceded by the end of the agency identifier).
 * Canonical upper case with plain dashes, or undefined.
 */
export function parseCodeEnd(text: string): string | undefined {
  const q = text
    .normalize('NFKC')
    .trim()
    .toUpperCase()
    .replace(/[\s‐‑‒–—−-]+/g, '-');
  return /^(?:[0-9A-Z.]*[0-9A-Z]-)?\d{6}-\d{4}$/.test(q) ? q : undefined;
}

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
// Not after a digit or a letter, nor after `<digit>.`: in `000.1515683.H50-261208-0001` (an identifier outside
// the national skeleton) the skeleton fits `151.56.83.H50-…`, which is the tail of the identifier, not a code.
const CODE_IN_TEXT = new RegExp(`(?<![\\dA-Z])(?<!\\d\\.)(${skeleton})(?!\\d)`, 'g');

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
