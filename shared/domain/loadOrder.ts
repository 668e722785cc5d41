/** The frame a viewer shows first when a series opens: the middle one, which shows the most anatomy. */
export function firstShownFrame(frames: number): number {
  return Math.floor(frames / 2);
}

/**
 * The order to fetch or decode the frames of a series: from `start` (default the middle slice, which
 * a viewer shows first) outwards, alternating up and down, so what the user looks at arrives first.
 */
export function middleOutOrder(n: number, start = firstShownFrame(n)): number[] {
  const order: number[] = [];
  for (let d = 0; order.length < n; d++) {
    if (start + d < n) order.push(start + d);
    if (d > 0 && start - d >= 0) order.push(start - d);
  }
  return order;
}
