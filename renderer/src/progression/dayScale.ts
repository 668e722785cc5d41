/**
 * The shared horizontal scale of the timeline and the risk chart, so a visit sits at the same x in
 * both. Pure, for the SVG components.
 */
export interface DayScale {
  x(day: number): number;
  ticks: number[];
}

export function dayScale(days: readonly number[], left: number, right: number): DayScale {
  const min = Math.min(...days, 0);
  const max = Math.max(...days, min + 1);
  const span = max - min;
  const x = (day: number) => left + ((day - min) / span) * (right - left);
  const step = span > 1500 ? 365 : span > 400 ? 180 : span > 100 ? 30 : 7;
  const ticks: number[] = [];
  for (let d = Math.ceil(min / step) * step; d <= max; d += step) ticks.push(d);
  return { x, ticks };
}

export const CHART = { width: 860, left: 60, right: 820 } as const;
/** Room between the plot's edge and the first and last visit, so their labels clear the axis text. */
export const PAD = 28;
