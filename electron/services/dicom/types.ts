/**
 * The seam between parsing (parse/) and pixel decoding (decode/). Parsing knows DICOM elements and
 * files; decoding knows transfer syntaxes and pixel formats. Names follow PS3.3 / PS3.5.
 */

/** A data set as dcmjs naturalises it: keyword -> value (sequences are arrays of data sets). */
export type NaturalDataset = Record<string, unknown>;

export type PixelDataPayload =
  /** Native (uncompressed) pixel data: every frame back to back, in the file's byte order. */
  | { kind: 'native'; bytes: Uint8Array; bigEndian: boolean; vr: 'OB' | 'OW' | 'OF' | 'OD' | 'OL' }
  /** Encapsulated pixel data: one entry per frame, each the concatenation of that frame's fragments. */
  | { kind: 'encapsulated'; frames: Uint8Array[] }
  /** Deflated Image Frame Compression (1.2.840.10008.1.2.8.1): one raw-deflate stream per frame. */
  | { kind: 'deflatedFrames'; frames: Uint8Array[] };

export interface ParsedDicom {
  /** File Meta Information group (0002,xxxx), naturalised. Empty when the file had none. */
  meta: NaturalDataset;
  /** The data set, naturalised, with strings decoded by Specific Character Set. PixelData removed. */
  dataset: NaturalDataset;
  transferSyntaxUid: string;
  /** Absent when the object has no Pixel Data (or the header-only path stopped before it). */
  pixelData?: PixelDataPayload;
  /**
   * Header-only parses of a file that is not deflated: where the Pixel Data value starts in the file, the
   * length its element declares (undefined length, 0xFFFFFFFF, for encapsulated data), unchecked, and the
   * bytes the file holds from that offset on.
   */
  pixelDataLocation?: { vr: string; offset: number; length: number; available: number };
  /** Defects the parser read past (a wrong group length, a guessed transfer syntax); for import reports. */
  warnings?: string[];
}

export type PixelArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** One decoded frame: stored values (before the Modality LUT), colour interleaved (R,G,B,R,G,B...). */
export interface DecodedFrame {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: 0 | 1;
  /** After decoding: YBR_* from JPEG/J2K codecs that convert colour become RGB. */
  photometricInterpretation: string;
  pixels: PixelArray;
}
