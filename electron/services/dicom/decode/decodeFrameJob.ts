import type { DecodedFrame, PixelArray } from '../types';
import type { FrameJob } from './frameJob';
import { transferSyntaxInfo } from './transferSyntax';
import { decodeNativeFrame } from './native';
import { decodeRleFrame } from './rle';
import { decodeJpegDctFrame, photometricAfterJpegDct } from './jpegBaseline';
import { decodeJpegLosslessFrame } from './jpegLossless';
import { decodeJpegLsFrame } from './jpegLs';
import { decodeHtj2kFrame, decodeJpeg2000Frame, photometricAfterJpeg2000 } from './jpeg2000';
import { inflateFrame } from './deflatedFrame';
import { toStoredValues } from './storedValues';
import { codecFailure } from './codecOutput';

/**
 * Decodes one frame to stored values (PS3.5 8.1.1 masking and sign), colour-by-pixel, and says what the
 * photometric interpretation is after decoding. Runs in a worker or in the calling thread alike.
 */
export async function decodeFrameJob(job: FrameJob): Promise<DecodedFrame> {
  const { image } = job;
  const ts = transferSyntaxInfo(job.transferSyntaxUid);
  let pixels: PixelArray;
  let photometricInterpretation = image.photometricInterpretation;
  try {
    switch (ts.encoding) {
      case 'native': {
        const native = decodeNativeFrame(image, { bytes: job.data, bitOffset: job.bitOffset, bigEndian: job.bigEndian, vr: job.vr });
        pixels = native.pixels;
        photometricInterpretation = native.photometricInterpretation;
        break;
      }
      case 'deflatedFrame': {
        const native = decodeNativeFrame(image, { bytes: inflateFrame(image, job.data), bitOffset: 0, bigEndian: false, vr: 'OB' });
        pixels = native.pixels;
        photometricInterpretation = native.photometricInterpretation;
        break;
      }
      case 'rle':
        pixels = decodeRleFrame(image, job.data);
        break;
      case 'jpegBaseline':
      case 'jpegExtended':
        pixels = await decodeJpegDctFrame(image, job.data);
        photometricInterpretation = photometricAfterJpegDct(image.photometricInterpretation, image.samplesPerPixel);
        break;
      case 'jpegLossless':
        pixels = decodeJpegLosslessFrame(image, job.data);
        break;
      case 'jpegLs':
        pixels = await decodeJpegLsFrame(image, job.data);
        break;
      case 'jpeg2000':
        pixels = await decodeJpeg2000Frame(image, job.data);
        photometricInterpretation = photometricAfterJpeg2000(image.photometricInterpretation);
        break;
      case 'htj2k':
        pixels = await decodeHtj2kFrame(image, job.data);
        photometricInterpretation = photometricAfterJpeg2000(image.photometricInterpretation);
        break;
    }
  } catch (error) {
    // Anything a codec throws (including a RangeError from a hostile length) is a decode failure.
    throw codecFailure(ts.name, error);
  }
  return {
    rows: image.rows,
    columns: image.columns,
    samplesPerPixel: image.samplesPerPixel,
    // 1-bit samples come out one per byte; Bits Allocated still says what the file held.
    bitsAllocated: image.bitsAllocated,
    bitsStored: image.bitsStored,
    pixelRepresentation: image.pixelRepresentation,
    photometricInterpretation,
    pixels: toStoredValues(pixels, image),
  };
}
