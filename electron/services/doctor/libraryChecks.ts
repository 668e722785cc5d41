import { existsSync } from 'node:fs';
import path from 'node:path';
import { LumenError } from '../../../shared/domain/errors';
import { LibraryDatabase } from '../library/index';
import { check, type DoctorCheck } from './doctorCheck';

const REPAIR = 'With Lumen closed, run "lumen library repair": it rebuilds the index from the image files and keeps the damaged database.';

/**
 * The study library's database, checked page by page (SQLite's integrity_check): a disk fault or a
 * copy taken mid-write shows here before a user meets it as a study that will not open.
 */
export async function libraryCheck(dataDir: string): Promise<DoctorCheck> {
  const title = 'Study library';
  const file = path.join(dataDir, 'library.db');
  if (!existsSync(file)) return check('library', title, 'ok', 'No study library yet: Lumen creates it at its first start.', { file });
  let db: LibraryDatabase;
  try {
    db = LibraryDatabase.open(file);
  } catch (error) {
    if (error instanceof LumenError && error.code === 'LIBRARY_IN_USE') {
      return check('library', title, 'warn', 'The library is open in a running Lumen, so its database was not checked; close Lumen and run doctor again.', { file });
    }
    const reason = error instanceof LumenError ? `${error.code}: ${error.message}` : String(error);
    // LIBRARY_CORRUPT says how to repair; LIBRARY_TOO_NEW and an unwritable folder are not for a repair.
    return check('library', title, 'fail', reason, { file });
  }
  try {
    const problems = db.integrityCheck();
    if (problems.length === 1 && problems[0] === 'ok') {
      const instances = db.instanceCount();
      return check('library', title, 'ok', `${instances} instances; the database is intact.`, { file, instances });
    }
    return check('library', title, 'fail', `The library database is damaged (${problems.length} problem${problems.length > 1 ? 's' : ''}, first: ${problems[0]}). ${REPAIR}`, { file, problems: problems.slice(0, 20) });
  } catch (error) {
    if (error instanceof LumenError) return check('library', title, 'fail', `${error.code}: ${error.message}`, { file });
    throw error;
  } finally {
    db.close();
  }
}
