/**
 * The order to fetch or decode the frames of a series: from `start` (default the middle slice, which
 * a viewer shows first) outwards, alternating up and down, so what the user looks at arrives first.
 */
export function middleOutOrder(n: number, start = Math.floor(n / 2)): number[] {
  const order: number[] = [];
  for (let d = 0; order.length < n; d++) {
    if (start + d < n) order.push(start + d);
    if (d > 0 && start - d >= 0) order.push(start - d);
  }
  return order;
}
