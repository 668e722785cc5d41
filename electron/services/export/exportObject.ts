import type { ErrorValue } from '../../../shared/domain/errors';
import type { DirectoryAttributes } from './directoryAttributes';

/**
 * One object of an export: a stored file of the library or a derived object written for this export
 * (measurement SR, AI SR, parametric map, secondary capture). Its Part 10 bytes are produced only when
 * its turn comes, so an export holds one object (or one batch) in memory, never a whole study.
 */
export interface ExportObject {
  /** The SOP Instance UID as the library knows it (before any de-identification); for results. */
  sopInstanceUid: string;
  studyInstanceUid: string;
  origin: 'library' | 'derived';
  /** The file it comes from, when it is a stored file (null for derived objects). */
  sourcePath: string | null;
  /** The Part 10 bytes (PS3.10 7.1); a LumenError fails this object only. */
  bytes(): Promise<Uint8Array>;
}

/**
 * Applied to every object before it leaves (de-identification): one instance per export, so that UIDs
 * map consistently across all its objects. A thrown LumenError fails that object.
 */
export interface ExportTransform {
  apply(bytes: Uint8Array, object: ExportObject): Promise<{ bytes: Uint8Array; warning?: ErrorValue }>;
  /** After the last object (e.g. save the encrypted UID mapping); not called when the export stops. */
  finish?(): Promise<void>;
}

/** Where derived objects come from (helper services for SR, parametric maps, secondary captures). */
export interface DerivedObjectSource {
  objects(studyInstanceUid: string, wanted: DerivedWanted): Promise<ExportObject[]>;
}

/** Which derived objects an export asks for. */
export interface DerivedWanted {
  /** The viewer's measurements as a Measurement Report SR (TID 1500). */
  measurements: boolean;
  /** Saved AI results as SR and Parametric Map. */
  aiResults: boolean;
  /** With aiResults: also the map burned into a Secondary Capture, for viewers without Parametric Map. */
  secondaryCapture: boolean;
}

/** An object ready to go: its final bytes and what its header says. */
export interface OutgoingObject {
  object: ExportObject;
  bytes: Uint8Array;
  attributes: DirectoryAttributes;
}

/** The outcome of one object at a destination: stored (with its File ID in a File-set) or a warning. */
export interface StoredOutcome {
  fileId: string | null;
  warning?: ErrorValue;
}

/**
 * A destination. `put` takes a batch (a C-STORE association carries many objects; files take one at a
 * time) and answers one outcome or error per object; a thrown error that stopsExport() ends the export.
 */
export interface ExportSink {
  readonly batchSize: number;
  put(batch: readonly OutgoingObject[], signal: AbortSignal): Promise<(StoredOutcome | Error)[]>;
  /** Makes the output complete and visible (DICOMDIR, rename into place); answers where it is. */
  commit(): Promise<string | null>;
  /** Removes whatever partial output exists (cancel, stop, failure). Never throws. */
  abandon(): Promise<void>;
}
