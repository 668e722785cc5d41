/** Calendar dates of visits as DICOM DA (YYYYMMDD, PS3.5 6.2), and whole days between two of them. */

/** A DA or an ISO date (YYYY-MM-DD) as DA, or null when it is not a real calendar date. */
export function parseVisitDate(raw: string): string | null {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(raw.trim());
  if (!m) return null;
  const [, y, mo, d] = m;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  const back = new Date(t);
  if (back.getUTCFullYear() !== Number(y) || back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d)) return null;
  return `${y}${mo}${d}`;
}

/** Whole days from DA `from` to DA `to` (UTC, so daylight saving never makes a day 23 hours). */
export function daysBetween(from: string, to: string): number {
  const utc = (da: string) => Date.UTC(Number(da.slice(0, 4)), Number(da.slice(4, 6)) - 1, Number(da.slice(6, 8)));
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}
