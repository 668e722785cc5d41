import { dicomError } from '../dicomError';
import type { NaturalDataset } from '../types';

/** The Image Pixel Module attributes that size a frame (PS3.3 C.7.6.3), checked to be usable. */
export interface ImageAttributes {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: 0 | 1;
  photometricInterpretation: string;
  planarConfiguration: 0 | 1;
  numberOfFrames: number;
}

function firstValue(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/** A number from a naturalised element (US, IS, DS...), or undefined when absent or not a finite number. */
export function numberOf(dataset: NaturalDataset, keyword: string): number | undefined {
  const v = firstValue(dataset[keyword]);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function stringOf(dataset: NaturalDataset, keyword: string): string | undefined {
  const v = firstValue(dataset[keyword]);
  return typeof v === 'string' ? v : undefined;
}

/** All numbers of a multi-valued element (IOP, IPP, Pixel Spacing), or undefined if any is missing. */
export function numbersOf(dataset: NaturalDataset, keyword: string, count: number): number[] | undefined {
  const v = dataset[keyword];
  const list = Array.isArray(v) ? v : [v];
  if (list.length < count) return undefined;
  const out = list.slice(0, count);
  return out.every((x) => typeof x === 'number' && Number.isFinite(x)) ? (out as number[]) : undefined;
}

function bad(message: string): never {
  throw dicomError('DICOM_BAD_IMAGE_ATTRIBUTES', message);
}

/** Reads and checks the attributes; anything that could size a frame wrongly is an error here. */
export function imageAttributes(dataset: NaturalDataset, pixelTagKeyword = 'PixelData'): ImageAttributes {
  const rows = numberOf(dataset, 'Rows');
  const columns = numberOf(dataset, 'Columns');
  if (!rows || !columns || !Number.isInteger(rows) || !Number.isInteger(columns) || rows < 1 || columns < 1 || rows > 65535 || columns > 65535) {
    bad('Rows and Columns must be whole numbers from 1 to 65535.');
  }
  const samplesPerPixel = numberOf(dataset, 'SamplesPerPixel') ?? 1;
  if (![1, 3, 4].includes(samplesPerPixel)) bad(`Samples per Pixel ${samplesPerPixel} is not 1 or 3.`);
  // Float and Double Float Pixel Data fix Bits Allocated at 32 and 64 (PS3.3 C.7.6.24).
  const impliedBits = pixelTagKeyword === 'FloatPixelData' ? 32 : pixelTagKeyword === 'DoubleFloatPixelData' ? 64 : undefined;
  const bitsAllocated = numberOf(dataset, 'BitsAllocated') ?? impliedBits;
  if (bitsAllocated === undefined || ![1, 8, 16, 32, 64].includes(bitsAllocated)) {
    bad(`Bits Allocated ${bitsAllocated ?? '(missing)'} is not 1, 8, 16, 32 or 64.`);
  }
  const bitsStored = numberOf(dataset, 'BitsStored') ?? bitsAllocated;
  if (!Number.isInteger(bitsStored) || bitsStored < 1 || bitsStored > bitsAllocated) {
    bad(`Bits Stored ${bitsStored} must be between 1 and Bits Allocated (${bitsAllocated}).`);
  }
  const highBit = numberOf(dataset, 'HighBit') ?? bitsStored - 1;
  if (!Number.isInteger(highBit) || highBit < bitsStored - 1 || highBit >= bitsAllocated) {
    bad(`High Bit ${highBit} does not fit Bits Stored ${bitsStored} in Bits Allocated ${bitsAllocated}.`);
  }
  const pixelRepresentation = numberOf(dataset, 'PixelRepresentation') ?? 0;
  if (pixelRepresentation !== 0 && pixelRepresentation !== 1) bad(`Pixel Representation ${pixelRepresentation} is not 0 or 1.`);
  const numberOfFrames = numberOf(dataset, 'NumberOfFrames') ?? 1;
  if (!Number.isInteger(numberOfFrames) || numberOfFrames < 1) bad(`Number of Frames ${numberOfFrames} is not a positive whole number.`);
  const planar = numberOf(dataset, 'PlanarConfiguration') ?? 0;
  return {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored,
    highBit,
    pixelRepresentation,
    photometricInterpretation: (stringOf(dataset, 'PhotometricInterpretation') ?? (samplesPerPixel === 1 ? 'MONOCHROME2' : 'RGB')).trim(),
    planarConfiguration: planar === 1 ? 1 : 0,
    numberOfFrames,
  };
}

/**
 * Bytes one native frame occupies. YBR_FULL_422 stores two luminance and one pair of chroma samples per
 * two pixels (PS3.3 C.7.6.3.1.2); 1-bit data packs pixels across frame boundaries (PS3.5 8.1.1).
 */
export function nativeFrameBytes(a: ImageAttributes): number {
  const samples = a.photometricInterpretation === 'YBR_FULL_422' ? 2 : a.samplesPerPixel;
  return (a.rows * a.columns * samples * a.bitsAllocated) / 8;
}

export function nativePixelBytes(a: ImageAttributes): number {
  return Math.ceil(nativeFrameBytes(a) * a.numberOfFrames);
}
