import type { ExportDeidentify } from '../../../shared/domain/export';
import { createDeidentificationSession, deidentificationOptionsFrom, saveMapping } from '../deidentify/index';
import type { LibraryDatabase, LibraryService } from '../library/index';
import { studyResultObjects, type StudyResultObject } from '../sr/index';
import type { DerivedObjectSource, DerivedWanted, ExportObject, ExportTransform } from './exportObject';
import type { ExportPlugins } from './exportService';

/**
 * One de-identification session (PS3.15 Annex E, deidentify/) for a whole export, so every original UID
 * maps to the same new one across its objects. Burned In Annotation = YES is the session's decision
 * (refused, or exported with a warning). The encrypted mapping is saved when the last object is done,
 * before the File-set is made visible: an export whose mapping could not be saved is not left behind.
 */
export function deidentifyTransform(request: ExportDeidentify): ExportTransform {
  const session = createDeidentificationSession(deidentificationOptionsFrom(request.options, request.burnedInAnnotation));
  return {
    apply: async (bytes) => {
      const out = session.deidentify(bytes);
      const warning = out.warnings[0];
      return { bytes: out.bytes, ...(warning ? { warning: { code: warning.code, message: warning.message } } : {}) };
    },
    finish: async () => {
      if (request.mappingFile && request.passphrase) await saveMapping(request.mappingFile, session.mapping(), request.passphrase);
    },
  };
}

const KINDS: Record<keyof Omit<DerivedWanted, 'secondaryCapture'>, readonly StudyResultObject['kind'][]> = {
  measurements: ['measurement-report'],
  aiResults: ['ai-result-report', 'parametric-map', 'secondary-capture'],
};

/** A study's saved results as DICOM objects, written for this export by sr/ and derivedImages/. */
function studyResultSource(library: LibraryService, db: Pick<LibraryDatabase, 'derivedResults'>): DerivedObjectSource {
  return {
    objects: async (studyInstanceUid, wanted) => {
      const kinds = [...(wanted.measurements ? KINDS.measurements : []), ...(wanted.aiResults ? KINDS.aiResults : [])];
      const written = await studyResultObjects(library, db, studyInstanceUid, { secondaryCapture: wanted.secondaryCapture });
      return written
        .filter((o) => kinds.includes(o.kind))
        .map((o): ExportObject => ({ sopInstanceUid: o.sopInstanceUid, studyInstanceUid, origin: 'derived', sourcePath: null, bytes: async () => o.bytes }));
    },
  };
}

/** The plug-ins a full Lumen has: de-identification and the SR / parametric map writers. */
export function standardExportPlugins(library: LibraryService, db: Pick<LibraryDatabase, 'derivedResults'>): ExportPlugins {
  return {
    deidentify: deidentifyTransform,
    derived: studyResultSource(library, db),
  };
}
