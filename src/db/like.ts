/** `s` as literal text inside a LIKE pattern (its `%`, `_` and `\` escaped). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
