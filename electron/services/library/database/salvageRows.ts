import type { Database as SqliteDatabase } from 'node-sqlite3-wasm';

export interface SalvagedTable {
  /** Rows read, each with its `rowid`, in rowid order. */
  rows: Record<string, unknown>[];
  /**
   * Row ids that could not be read: each lookup ran into a damaged page. An upper bound on the rows
   * lost there (an id the table never used fails the same way), and a lower bound when not `complete`;
   * null when the table's extent could not be read (its last page is damaged), so nothing bounds it.
   */
  unreadable: number | null;
  /** False when the table's extent could not be learned or the query budget ran out: rows may be missing past what was read. */
  complete: boolean;
}

/**
 * Queries one table may cost: a root page that is gone makes every lookup fail, and this ends it. With
 * the extent unknown the search runs up to 2^31 and spends the smaller budget on ids past the damage.
 */
const QUERY_BUDGET = 200_000;
const UNKNOWN_EXTENT_BUDGET = 20_000;
/** Where the search stops when the largest row id cannot be read (the library's ids count up from 1). */
const UNKNOWN_EXTENT = 2 ** 31;

/**
 * Reads every row of a table that a damaged SQLite file still gives. A damaged page makes any query
 * whose b-tree walk touches it fail, so the rowid range is read in halves, and the halves of a failing
 * half, down to single rows: everything on intact pages comes back, and the rows on damaged ones are
 * counted. (SQLite's own `.recover` scans raw pages, but it lives in the sqlite3 shell, not in the
 * library's WASM build.)
 */
export function salvageRows(db: SqliteDatabase, table: string): SalvagedTable {
  const name = `"${table.replaceAll('"', '""')}"`;
  let extent: number | null = null;
  try {
    const row = db.get(`SELECT max(rowid) AS top FROM ${name}`) as { top: number | null };
    extent = row.top ?? 0;
  } catch {
    extent = null;
  }
  const rows: Record<string, unknown>[] = [];
  let unreadable = 0;
  let queries = 0;
  let complete = extent !== null;
  // Depth first, lowest ids first, so rows come out in rowid order.
  const stack: [number, number][] = [[1, extent ?? UNKNOWN_EXTENT]];
  while (stack.length > 0) {
    const [lo, hi] = stack.pop()!;
    if (queries++ >= (extent === null ? UNKNOWN_EXTENT_BUDGET : QUERY_BUDGET)) {
      complete = false;
      break;
    }
    try {
      rows.push(...(db.all(`SELECT rowid AS rowid, * FROM ${name} WHERE rowid BETWEEN ? AND ? ORDER BY rowid`, [lo, hi]) as Record<string, unknown>[]));
    } catch {
      if (lo === hi) {
        unreadable++;
        continue;
      }
      const mid = lo + Math.floor((hi - lo) / 2);
      stack.push([mid + 1, hi], [lo, mid]);
    }
  }
  return { rows, unreadable: extent === null ? null : unreadable, complete };
}
