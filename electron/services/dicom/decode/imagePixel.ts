import { LumenError } from '../../../../shared/domain/errors';
import type { NaturalDataset } from '../types';

/**
 * The Image Pixel Module attributes that decoding needs (PS3.3 C.7.6.3), read once from the data set
 * and sent to a worker with each frame. Plain data so it crosses worker_threads by structured clone.
 */
export interface ImagePixelDescription {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: 0 | 1;
  photometricInterpretation: string;
  /** 0: colour-by-pixel (R1G1B1R2...), 1: colour-by-plane (R1R2...G1G2...B1B2...). PS3.3 C.7.6.3.1.3. */
  planarConfiguration: 0 | 1;
  numberOfFrames: number;
  /** Float Pixel Data (7FE0,0008) or Double Float Pixel Data (7FE0,0009): samples are IEEE floats. */
  floatingPoint: boolean;
}

function numberOf(dataset: NaturalDataset, keyword: string): number | undefined {
  const raw = dataset[keyword];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function required(dataset: NaturalDataset, keyword: string): number {
  const n = numberOf(dataset, keyword);
  if (n === undefined || n < 0 || !Number.isInteger(n)) {
    throw new LumenError('DICOM_DECODE_FAILED', `The image cannot be decoded: ${keyword} is missing or invalid.`);
  }
  return n;
}

export function imagePixelDescription(dataset: NaturalDataset, floatingPoint = false): ImagePixelDescription {
  const rows = required(dataset, 'Rows');
  const columns = required(dataset, 'Columns');
  const bitsAllocated = required(dataset, 'BitsAllocated');
  const samplesPerPixel = numberOf(dataset, 'SamplesPerPixel') ?? 1;
  // Float and double pixel data have no Bits Stored (PS3.3 C.7.6.24): all allocated bits are used.
  const bitsStored = numberOf(dataset, 'BitsStored') ?? bitsAllocated;
  const highBit = numberOf(dataset, 'HighBit') ?? bitsStored - 1;
  const photometric = String(dataset['PhotometricInterpretation'] ?? (samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2'))
    .trim()
    .toUpperCase();
  if (![1, 8, 16, 32, 64].includes(bitsAllocated) || bitsStored < 1 || bitsStored > bitsAllocated || highBit < bitsStored - 1 || highBit >= bitsAllocated) {
    throw new LumenError(
      'DICOM_DECODE_FAILED',
      `The image cannot be decoded: unsupported pixel format (Bits Allocated ${bitsAllocated}, Bits Stored ${bitsStored}, High Bit ${highBit}).`,
    );
  }
  if (rows === 0 || columns === 0 || (samplesPerPixel !== 1 && samplesPerPixel !== 3)) {
    throw new LumenError('DICOM_DECODE_FAILED', `The image cannot be decoded: ${rows}x${columns} with ${samplesPerPixel} samples per pixel.`);
  }
  return {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored,
    highBit,
    pixelRepresentation: numberOf(dataset, 'PixelRepresentation') === 1 ? 1 : 0,
    photometricInterpretation: photometric,
    planarConfiguration: numberOf(dataset, 'PlanarConfiguration') === 1 ? 1 : 0,
    numberOfFrames: Math.max(1, numberOf(dataset, 'NumberOfFrames') ?? 1),
    floatingPoint: floatingPoint || (bitsAllocated === 64),
  };
}

/** Samples in one decoded frame, colour counted per sample. */
export function samplesPerFrame(image: ImagePixelDescription): number {
  return image.rows * image.columns * image.samplesPerPixel;
}
