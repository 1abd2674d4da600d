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

/** Loose form of a code for searching: upper case, no spaces. */
export function normaliseCodeQuery(q: string): string {
  return q.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}
