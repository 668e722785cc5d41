import { close, fstat, open as openCallback, openSync, read } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { dicomError, isDicomError } from '../dicomError';
import type { NaturalDataset, ParsedDicom } from '../types';
import { DataSetReader, NeedMoreBytes, type ReaderSource } from './dataSetReader';
import { pixelPayload } from './pixelPayload';
import {
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  transferSyntaxLayout,
  type TransferSyntaxLayout,
} from './transferSyntax';
import { VALID_VRS } from './valueRepresentation';

export interface ParseOptions {
  /** Stop before Pixel Data: no pixel bytes are read or copied (indexing). */
  headerOnly?: boolean;
}

/** PS3.10 7.1: a 128-byte preamble, then "DICM", then the File Meta Information. */
const PREAMBLE_LENGTH = 128;
const DATA_START = PREAMBLE_LENGTH + 4;
/**
 * First read of the header-only path: a CT header (about 2 KB) fits, larger ones (Siemens CSA, about
 * 130 KB) read on. 16 KB indexed both the CT and the decubitus MR faster than 64 KB (less copying).
 */
const FIRST_CHUNK = 16 * 1024;
/** A deflated data set inflates to at most this; a deflate bomb stops here with an error. */
const MAX_INFLATED_BYTES = 1 << 30;

/** Groups a data set can plausibly start with when a file has no File Meta (PS3.10 7.1 is not followed). */
const FIRST_GROUPS = new Set([0x0002, 0x0004, 0x0008, 0x0010, 0x0018, 0x0020, 0x0028]);

function hasDicmPrefix(bytes: Uint8Array): boolean {
  return bytes.length >= DATA_START && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/**
 * Transfer syntax of a data set with no (usable) File Meta, recognised from its first element the way
 * dcmtk and pydicom do: a known group, then a valid VR code (explicit) or not (implicit).
 */
function guessLayout(bytes: Uint8Array, offset: number): { uid: string; layout: TransferSyntaxLayout } | null {
  if (bytes.length < offset + 8) return null;
  const vr = String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!);
  const le = bytes[offset]! | (bytes[offset + 1]! << 8);
  const be = (bytes[offset]! << 8) | bytes[offset + 1]!;
  let uid: string | null = null;
  if (FIRST_GROUPS.has(le)) uid = VALID_VRS.has(vr) ? EXPLICIT_VR_LITTLE_ENDIAN : IMPLICIT_VR_LITTLE_ENDIAN;
  else if (FIRST_GROUPS.has(be) && VALID_VRS.has(vr)) uid = EXPLICIT_VR_BIG_ENDIAN;
  return uid ? { uid, layout: transferSyntaxLayout(uid) } : null;
}

function source(bytes: Uint8Array, layout: Pick<TransferSyntaxLayout, 'littleEndian' | 'explicitVR'>, totalLength: number): ReaderSource {
  return {
    bytes,
    buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    littleEndian: layout.littleEndian,
    explicitVR: layout.explicitVR,
    totalLength,
  };
}

/**
 * Parses `bytes`, the first part of a stream of `totalLength` bytes. Throws NeedMoreBytes when the header
 * goes on past `bytes` (only possible when bytes.length < totalLength).
 */
function parseBuffer(bytes: Uint8Array, totalLength: number, options: ParseOptions): ParsedDicom {
  if (totalLength === 0) throw dicomError('DICOM_EMPTY', 'The file is empty.');
  if (bytes.length < Math.min(totalLength, DATA_START)) throw new NeedMoreBytes(Math.min(totalLength, DATA_START));

  let meta: NaturalDataset = {};
  let dataStart = 0;
  const warnings: string[] = [];
  // The File Meta is always Explicit VR Little Endian (PS3.10 7.1), with or without a preamble.
  const metaStart = hasDicmPrefix(bytes) ? DATA_START : bytes.length >= 2 && bytes[0] === 0x02 && bytes[1] === 0x00 ? 0 : -1;
  if (metaStart >= 0) {
    const r = new DataSetReader(source(bytes, { littleEndian: true, explicitVR: true }, totalLength)).readTopLevel(metaStart, { metaOnly: true });
    meta = r.dataset;
    dataStart = r.end;
    const groupLength = meta.FileMetaInformationGroupLength;
    const firstAfterLength = metaStart + 12;
    if (typeof groupLength === 'number' && groupLength !== dataStart - firstAfterLength) {
      warnings.push(`File Meta group length (0002,0000) says ${groupLength} bytes but the group holds ${dataStart - firstAfterLength}; the length was ignored.`);
    }
  }
  const declared = typeof meta.TransferSyntaxUID === 'string' && meta.TransferSyntaxUID !== '' ? meta.TransferSyntaxUID : null;
  let uid: string;
  let layout: TransferSyntaxLayout;
  if (declared) {
    uid = declared;
    layout = transferSyntaxLayout(uid);
    // Some writers declare Explicit VR but write Implicit VR (pydicom and dcmtk tolerate it too).
    if (layout.explicitVR && !layout.deflatedDataSet && !layout.encapsulated && layout.littleEndian) {
      const seen = guessLayout(bytes, dataStart);
      if (seen && !seen.layout.explicitVR) layout = seen.layout;
    }
  } else {
    const guessed = guessLayout(bytes, dataStart);
    if (!guessed) {
      if (bytes.length < Math.min(totalLength, dataStart + 8)) throw new NeedMoreBytes(Math.min(totalLength, dataStart + 8));
      throw dicomError('DICOM_NOT_DICOM', metaStart >= 0 ? 'The file has a DICOM preamble but no valid File Meta Information or data set.' : 'The file is not a DICOM file.');
    }
    ({ uid, layout } = guessed);
  }

  let src = source(bytes, layout, totalLength);
  if (layout.deflatedDataSet) {
    // PS3.5 A.5: everything after the File Meta is one raw deflate stream; inflate it, then read as usual.
    if (bytes.length < totalLength) throw new NeedMoreBytes(totalLength);
    let inflated: Uint8Array;
    try {
      inflated = new Uint8Array(inflateRawSync(bytes.subarray(dataStart), { maxOutputLength: MAX_INFLATED_BYTES }));
    } catch (cause) {
      throw dicomError('DICOM_DEFLATE_FAILED', 'The deflated data set could not be inflated.', { cause });
    }
    src = source(inflated, layout, inflated.length);
    dataStart = 0;
  }

  const reader = new DataSetReader(src);
  const r = reader.readTopLevel(dataStart, { stopAtPixelData: options.headerOnly === true });
  if (r.elementCount === 0 && Object.keys(meta).length === 0) throw dicomError('DICOM_NOT_DICOM', 'The file holds no DICOM data elements.');
  const parsed: ParsedDicom = { meta, dataset: r.dataset, transferSyntaxUid: uid };
  if (!declared) warnings.push(`No transfer syntax in a File Meta; read as ${uid} from the first element.`);
  if (warnings.length > 0) parsed.warnings = warnings;
  if (r.pixel) parsed.pixelData = pixelPayload(src.bytes, src.littleEndian, r.pixel, r.dataset, uid);
  if (r.skippedPixelValue && !layout.deflatedDataSet) {
    parsed.pixelDataLocation = { ...r.skippedPixelValue, available: Math.max(0, totalLength - r.skippedPixelValue.offset) };
  }
  return parsed;
}

/** Parses a whole DICOM file (or data set without File Meta) held in memory. */
export function parseDicomBytes(bytes: Uint8Array, options: ParseOptions = {}): ParsedDicom {
  try {
    return parseBuffer(bytes, bytes.length, options);
  } catch (error) {
    throw asDicomError(error);
  }
}

function asDicomError(error: unknown): unknown {
  if (error instanceof NeedMoreBytes) return dicomError('DICOM_TRUNCATED', 'The file ends before its header does.');
  if (isDicomError(error)) return error;
  // A RangeError from a DataView is a bounds check we missed; it is still a bad file, not a crash.
  if (error instanceof RangeError) return dicomError('DICOM_BAD_LENGTH', 'A length in the file points outside it.', { cause: error });
  return error;
}

/**
 * Parses a DICOM file from disk. The header-only path reads the first 16 KB and reads further only when
 * the header goes on (it never reads Pixel Data); the full path reads the file once into one buffer that
 * the pixel payload views without copying.
 */
export async function parseDicomFile(path: string, options: ParseOptions = {}): Promise<ParsedDicom> {
  if (options.headerOnly) return parseDicomFileHeader(path);
  const fd = await openDicomFile(path);
  try {
    const size = await sizeOf(fd);
    const bytes = new Uint8Array(size);
    const bytesRead = await readInto(fd, bytes, 0, size, 0);
    // A file that shrank while being read is parsed as the bytes that were there.
    return parseDicomBytes(bytesRead === size ? bytes : bytes.subarray(0, bytesRead), options);
  } finally {
    close(fd, () => undefined);
  }
}

/** openDicomFile, synchronously (decode workers, which have nothing else to do meanwhile). */
export function openDicomFileSync(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (cause) {
    throw unopenable(cause);
  }
}

/**
 * Why a file did not open, in the reader's terms. A library imported in place (reference mode) points
 * at files that can go away: a CD ejected, a USB disk unplugged, a folder moved.
 */
function unopenable(cause: unknown) {
  const code = (cause as NodeJS.ErrnoException | null)?.code;
  const message =
    code === 'ENOENT'
      ? 'The file is no longer where it was (moved or deleted, or on a disk that is not connected).'
      : code === 'EACCES' || code === 'EPERM'
        ? 'The file could not be opened: permission denied.'
        : 'The file could not be opened.';
  return dicomError('DICOM_FILE_UNREADABLE', message, { cause });
}

/*
 * File reads on the main thread use the callback file API, one promise per call: it never blocks the
 * event loop (the back end runs in Electron's main process, and a stalled network share must not freeze
 * the window), and it costs the main thread less than FileHandle's promise round trips. Callers reading
 * many headers keep several reads in flight (import/readHeadersAhead.ts).
 */

/** Opens a file for reading: a file descriptor, or DICOM_FILE_UNREADABLE (missing, unreadable). */
function openDicomFile(path: string): Promise<number> {
  return new Promise((resolve, reject) =>
    openCallback(path, 'r', (cause, fd) => (cause ? reject(unopenable(cause)) : resolve(fd))),
  );
}

function sizeOf(fd: number): Promise<number> {
  return new Promise((resolve, reject) => fstat(fd, (error, stats) => (error ? reject(error) : resolve(stats.size))));
}

function readInto(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buffer, offset, length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))));
}

/** Header-only parse of a file on disk: the first 16 KB, more only while the header goes on, never Pixel Data. */
export async function parseDicomFileHeader(path: string): Promise<ParsedDicom> {
  const options: ParseOptions = { headerOnly: true };
  const fd = await openDicomFile(path);
  try {
    const size = await sizeOf(fd);
    let want = Math.min(size, FIRST_CHUNK);
    let bytes = new Uint8Array(0);
    for (;;) {
      // Not zero-filled: every byte parsed is read from the file first (zeroing the chunk showed in profiles).
      const next = Buffer.allocUnsafe(want);
      next.set(bytes);
      const bytesRead = await readInto(fd, next, bytes.length, want - bytes.length, bytes.length);
      bytes = bytesRead === want - bytes.length ? next : next.subarray(0, bytes.length + bytesRead);
      try {
        // A file that shrank while being read is parsed as the bytes that were there.
        return parseBuffer(bytes, bytes.length < want ? bytes.length : size, options);
      } catch (error) {
        if (!(error instanceof NeedMoreBytes) || bytes.length >= size) throw asDicomError(error);
        want = Math.min(size, Math.max(error.atLeast + FIRST_CHUNK, want * 2));
      }
    }
  } finally {
    close(fd, () => undefined);
  }
}
