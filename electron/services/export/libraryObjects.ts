import { readFile } from 'node:fs/promises';
import type { LibraryService } from '../library/index';
import type { ExportObject } from './exportObject';
import { exportError } from './exportErrors';

/** Reads a stored file for export; only reads. A file gone since import fails that object alone. */
async function readSource(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw code === 'ENOENT' || code === 'ENOTDIR' ? exportError.sourceMissing(error) : exportError.sourceUnreadable(error);
  }
}

/** The stored instances of a study as export objects, in library order (series, instance number). */
export function libraryObjects(library: LibraryService, studyInstanceUid: string): ExportObject[] {
  return library.openStudy(studyInstanceUid).map((file) => ({
    sopInstanceUid: file.sopInstanceUid,
    studyInstanceUid,
    origin: 'library' as const,
    sourcePath: file.path,
    bytes: () => readSource(file.path),
  }));
}

/** Stands for derived objects that were asked for but that this build cannot write: fails with why. */
export function unavailableDerivedObject(studyInstanceUid: string, what: string): ExportObject {
  return {
    sopInstanceUid: '',
    studyInstanceUid,
    origin: 'derived',
    sourcePath: null,
    bytes: () => Promise.reject(exportError.derivedUnavailable(what)),
  };
}
