/** Allowed calling AE titles as typed: comma separated, because an AE title may itself contain spaces (PS3.5 6.2). */
export const formatAeTitles = (titles: readonly string[] | undefined): string => (titles ?? []).join(', ');

export function parseAeTitles(text: string): { titles: string[]; invalid: string[] } {
  const titles = text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return { titles, invalid: titles.filter((t) => !/^[\x20-\x7e]{1,16}$/.test(t)) };
}
