import type { NaturalDataset } from '../types';
import { imageAttributes, type ImageAttributes } from '../parse/imageAttributes';

/**
 * The Image Pixel Module attributes decoding needs (PS3.3 C.7.6.3), as the parser reads and checks them,
 * plus whether samples are IEEE floats. Plain data, so it crosses worker_threads by structured clone.
 */
export interface ImagePixelDescription extends ImageAttributes {
  /** Float Pixel Data (7FE0,0008) or Double Float Pixel Data (7FE0,0009), PS3.3 C.7.6.24. */
  floatingPoint: boolean;
}

export function imagePixelDescription(dataset: NaturalDataset, floatPixelVr?: 'OF' | 'OD'): ImagePixelDescription {
  const keyword = floatPixelVr === 'OF' ? 'FloatPixelData' : floatPixelVr === 'OD' ? 'DoubleFloatPixelData' : 'PixelData';
  return { ...imageAttributes(dataset, keyword), floatingPoint: floatPixelVr !== undefined };
}
