/** Display forms of DICOM values, as reading-room software shows them. */

/** PN "Family^Given^Middle^Prefix^Suffix" (first component group only) as "FAMILY, Given Middle". */
export function formatPersonName(pn: string): string {
  const alphabetic = pn.split('=')[0] ?? '';
  const [family = '', given = '', middle = ''] = alphabetic.split('^');
  const rest = [given, middle].filter(Boolean).join(' ');
  if (!family && !rest) return '(no name)';
  return rest ? `${family.toUpperCase()}, ${rest}` : family.toUpperCase();
}

/** DA "YYYYMMDD" as ISO "YYYY-MM-DD" (unambiguous across locales); anything else unchanged. */
export function formatDicomDate(da: string): string {
  return /^\d{8}$/.test(da) ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}` : da;
}
