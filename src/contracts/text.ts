/** Text rules shared by the server and the officer app. */

/** Trims, normalises to Unicode NFC and collapses runs of white space to one space. */
export function cleanText(value: string): string {
  return value.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** Like cleanText but keeps line breaks (notes, reasons). */
export function cleanMultiline(value: string): string {
  return value
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/gu, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * "Cấp bản sao" → "Cap ban sao", left decomposed (NFD): every combining mark removed, đ/Đ (letters of their own
 * in Unicode, not marked letters) mapped explicitly. The common step of search folding and unaccented SMS.
 */
export function stripMarks(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/** Folds Vietnamese text for diacritic-insensitive search: "Cấp bản sao" and "cap ban sao" compare equal. */
export function foldForSearch(value: string): string {
  return stripMarks(value).toLowerCase().replace(/\s+/g, ' ').trim();
}

/** True when every word of the query occurs, folded, in the text. */
export function matchesSearch(text: string, query: string): boolean {
  const haystack = foldForSearch(text);
  return foldForSearch(query)
    .split(' ')
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}
