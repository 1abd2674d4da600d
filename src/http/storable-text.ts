import type { FastifyInstance } from 'fastify';
import { invalid } from '../errors.ts';

/**
 * The one check of text in every request, before any route sees it (body, query string, path parameters):
 * - PostgreSQL cannot store U+0000 in text or jsonb, nor half of a UTF-16 surrogate pair in jsonb: such input
 *   used to fail deep inside a statement with a 500. Refused with a 400 naming the field.
 * - Control characters (other than tab and line breaks) have no place in a name, an address or a note:
 *   refused with a 400 naming the field.
 * - Invisible formatting characters — bidirectional overrides and isolates (U+202E showed a citizen's name
 *   reversed on the receipt), zero-width spaces and joiners, the BOM, soft hyphens — are removed, so pasted
 *   text still goes through. Letters and combining marks (Vietnamese tones, NFC or NFD) are never touched.
 * Password fields are left exactly as typed. Raw bodies (the Zalo webhook's signed text) are not parsed here.
 */
export function refuseUnstorableText(fastify: FastifyInstance): void {
  // A callback hook, not an async one: it runs on every request, the public look-up's included.
  fastify.addHook('preValidation', (request, _reply, done) => {
    const deep = tooDeep(request.body) ? 'body' : undefined;
    const field =
      unstorableField(request.params, 'params', 0) ??
      unstorableField(request.query, 'query', 0) ??
      unstorableField(request.body, 'body', 0);
    const control =
      cleanFormatting(request.params, 'params', 0) ??
      cleanFormatting(request.query, 'query', 0) ??
      cleanFormatting(request.body, 'body', 0);
    done(
      deep
        ? invalid(deep, `Nested deeper than ${MAX_DEPTH} levels`, 'Dữ liệu gửi lên không hợp lệ.')
        : field
          ? invalid(
              field,
              'Contains a character PostgreSQL cannot store (U+0000 or an unpaired surrogate)',
              'Dữ liệu có ký tự không hợp lệ (ký tự điều khiển hoặc lỗi mã hóa). Vui lòng nhập lại.',
            )
          : control
            ? invalid(
                control,
                'Contains a control character (only tab, CR and LF are accepted)',
                'Dữ liệu có ký tự điều khiển không hợp lệ. Vui lòng nhập lại.',
              )
            : undefined,
    );
  });
}

/** C0 controls other than tab, LF and CR; DEL; C1 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for.
const CONTROL = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Invisible formatting: soft hyphen, bidi marks, embeddings, overrides and isolates, zero-width characters, BOM. */
const INVISIBLE =
  /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]/g;
const SECRET_KEY = /password/i;

/**
 * Removes invisible formatting characters from every string of a parsed body, query or params object (in
 * place) and returns the path of the first string holding a control character, if any.
 */
function cleanFormatting(value: unknown, path: string, depth: number): string | undefined {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || Buffer.isBuffer(value)) {
    return undefined;
  }
  const record = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(record)) {
    const field = `${path}.${key}`;
    if (CONTROL.test(key)) {
      return field;
    }
    if (typeof v === 'string') {
      if (SECRET_KEY.test(key)) {
        continue;
      }
      if (CONTROL.test(v)) {
        return field;
      }
      INVISIBLE.lastIndex = 0;
      if (INVISIBLE.test(v)) {
        record[key] = v.replace(INVISIBLE, '');
      }
    } else {
      const found = cleanFormatting(v, field, depth + 1);
      if (found) {
        return found;
      }
    }
  }
  return undefined;
}

/**
 * Deeper than any body of ours (or Zalo's) goes. Deeper values are refused rather than walked: the checks
 * below stop at this depth, and what they did not look at could still hold a U+0000 (a 500 from PostgreSQL).
 */
export const MAX_DEPTH = 32;

/** Whether objects or arrays nest deeper than MAX_DEPTH. */
export function tooDeep(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) {
    return false;
  }
  if (depth >= MAX_DEPTH) {
    return true;
  }
  for (const v of Object.values(value)) {
    if (tooDeep(v, depth + 1)) {
      return true;
    }
  }
  return false;
}

/** The path of the first string (value or key) that cannot be stored, if any. */
function unstorableField(value: unknown, path: string, depth: number): string | undefined {
  if (typeof value === 'string') {
    return isStorable(value) ? undefined : path;
  }
  // Bodies are parsed JSON or form fields: nesting this deep is not ours, and uploads (Buffers) are bytes.
  if (value === null || typeof value !== 'object' || depth > 32 || Buffer.isBuffer(value)) {
    return undefined;
  }
  for (const [key, v] of Object.entries(value)) {
    const field = `${path}.${key}`;
    const found = isStorable(key) ? unstorableField(v, field, depth + 1) : field;
    if (found) {
      return found;
    }
  }
  return undefined;
}

/** U+0000, or half of a surrogate pair (String#isWellFormed is ES2024; our typings stop at ES2023). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is precisely what this looks for.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const EVERY_UNSTORABLE = new RegExp(UNSTORABLE, 'g');

function isStorable(s: string): boolean {
  return !UNSTORABLE.test(s);
}

/**
 * The same text made storable, for what we must keep rather than refuse (a citizen's message that Zalo
 * already delivered): NUL and unpaired surrogates become U+FFFD. The value itself when nothing in it needs
 * that, as almost always: every webhook event passes here before its acknowledgement.
 */
export function storableCopy(value: unknown): unknown {
  return unstorableField(value, '', 0) === undefined ? value : copyReplacing(value, 0);
}

function copyReplacing(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    return value.replace(EVERY_UNSTORABLE, '\uFFFD');
  }
  if (value === null || typeof value !== 'object' || depth > 32) {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((v) => copyReplacing(v, depth + 1));
  }
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [copyReplacing(k, depth) as string, copyReplacing(v, depth + 1)]),
  );
}
