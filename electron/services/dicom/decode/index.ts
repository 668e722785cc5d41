/**
 * Pixel decoding: every transfer syntax in common use to stored values (before the Modality LUT),
 * colour-by-pixel. `decodeFrame` decodes in the calling thread (workers, tests, one-off tools); hosts
 * decode through `createDecodePool`, which keeps the work off the main thread.
 */
import type { DecodedFrame, ParsedDicom } from '../types';
import { decodeFrameJob } from './decodeFrameJob';
import { frameJob } from './frameJob';

export async function decodeFrame(parsed: ParsedDicom, frameIndex: number): Promise<DecodedFrame> {
  return decodeFrameJob(frameJob(parsed, frameIndex));
}

export { createDecodePool, defaultPoolSize, type DecodePool, type DecodePoolOptions, type DecodeOptions } from './workerPool';
export { frameJob, type FrameJob } from './frameJob';
export { imagePixelDescription, type ImagePixelDescription } from './imagePixel';
export { supportedTransferSyntaxes, transferSyntaxInfo, type TransferSyntaxInfo } from './transferSyntax';
