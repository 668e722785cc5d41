/**
 * Search keys: what the library stores beside a value so that searching is case- and
 * accent-insensitive without SQLite's ICU extension (the WASM build has none).
 */

/** Case- and accent-insensitive key; DICOM PN component (^) and group (=) separators read as spaces. */
export function foldForSearch(text: string): string {
  return text
    // Separators first: U+005E (^) is itself in Unicode's Diacritic set. Then drop combining marks only.
    .replace(/[\^=]/g, ' ')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A Person Name's key: its components (PS3.5 6.2.1: family^given^middle^prefix^suffix, alphabetic,
 * ideographic and phonetic groups split by '=') folded and framed by spaces, so that a search token
 * matches the start of any component with one LIKE '% token%'.
 */
export function personNameKey(name: string): string {
  const folded = foldForSearch(name);
  return folded === '' ? '' : ` ${folded} `;
}

/** Search tokens of a query: folded words; "DOE^JO" and "jo doe" give the same tokens. */
export function searchTokens(query: string): string[] {
  const folded = foldForSearch(query);
  return folded === '' ? [] : folded.split(' ');
}
