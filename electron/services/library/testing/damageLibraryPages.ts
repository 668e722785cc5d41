import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { referencePython } from '../../dicom/testSupport';

const here = path.dirname(fileURLToPath(import.meta.url));

/** What damage_library_pages.py reports per table: the page overwritten, the rows on it, the table's rows. */
export type DamagedPages = Record<string, { page: number; rows: number; total: number }>;

/**
 * For tests: overwrites the first leaf page of each table of a closed library file, or with 'header'
 * the file header on page 1, as a failing disk would (damage_library_pages.py, Python's own SQLite).
 */
export function damageLibraryPages(db: string, tables: readonly string[] | 'header'): DamagedPages {
  const script = path.join(here, 'damage_library_pages.py');
  const result = spawnSync(referencePython, [script, db, ...(tables === 'header' ? ['--header'] : tables)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`damage_library_pages.py failed: ${result.stderr || result.error?.message}`);
  return JSON.parse(result.stdout) as DamagedPages;
}
