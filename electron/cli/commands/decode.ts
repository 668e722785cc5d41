import { writeFile } from 'node:fs/promises';
import { toErrorValue } from '../../../shared/domain/errors';
import { parseDicomFile } from '../../services/dicom/parse';
import { createDecodePool } from '../../services/dicom/decode';
import type { PixelArray } from '../../services/dicom/types';
import type { CliCommand } from '../command';

const USAGE = 'decode <file> [--frame N] --out <path>';

function parseArgs(args: readonly string[]): { file: string; frame: number; out: string } | string {
  let file: string | undefined;
  const opts: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      if (file !== undefined) return `unexpected argument "${arg}"`;
      file = arg;
      continue;
    }
    const value = args[i + 1];
    if (!['--frame', '--out'].includes(arg)) return `unknown option "${arg}"`;
    if (value === undefined) return `${arg} needs a value`;
    opts[arg] = value;
    i++;
  }
  if (!file) return 'a DICOM file is required';
  if (!opts['--out']) return '--out is required';
  const frame = Number(opts['--frame'] ?? '0');
  if (!Number.isInteger(frame) || frame < 0) return '--frame must be a frame index from 0';
  return { file, frame, out: opts['--out'] };
}

const SAMPLE_TYPES: Record<string, string> = {
  Uint8Array: 'uint8',
  Int8Array: 'int8',
  Uint16Array: 'uint16',
  Int16Array: 'int16',
  Uint32Array: 'uint32',
  Int32Array: 'int32',
  Float32Array: 'float32',
  Float64Array: 'float64',
};

/** Little-endian bytes of the samples; typed arrays are little endian on every platform Lumen ships on. */
function littleEndianBytes(pixels: PixelArray): Uint8Array {
  return new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
}

/**
 * `lumen decode`: writes one frame's decoded stored values (before the Modality LUT) as raw little-endian
 * samples, colour interleaved, and prints the frame's description as JSON. Frames count from 0. The
 * frame is decoded by the same worker pool the app uses. Exit 0 done, 2 usage, 3 the file failed.
 */
export const decodeCommand: CliCommand = {
  name: 'decode',
  usage: USAGE,
  summary: 'Decode one frame to raw little-endian stored values (JSON description on stdout)',
  async run(args, io) {
    const parsed = parseArgs(args);
    if (typeof parsed === 'string') {
      io.err(`lumen decode: ${parsed}\nUsage: lumen ${USAGE}`);
      return 2;
    }
    const pool = createDecodePool({ size: 1 });
    try {
      const dicom = await parseDicomFile(parsed.file);
      const frame = await pool.decode(dicom, parsed.frame);
      await writeFile(parsed.out, littleEndianBytes(frame.pixels));
      io.out(
        JSON.stringify({
          rows: frame.rows,
          columns: frame.columns,
          samplesPerPixel: frame.samplesPerPixel,
          bitsAllocated: frame.bitsAllocated,
          bitsStored: frame.bitsStored,
          pixelRepresentation: frame.pixelRepresentation,
          photometricInterpretation: frame.photometricInterpretation,
          numberOfFrames: Math.max(1, Number(dicom.dataset['NumberOfFrames'] ?? 1)),
          frame: parsed.frame,
          transferSyntaxUid: dicom.transferSyntaxUid,
          sampleType: SAMPLE_TYPES[frame.pixels.constructor.name],
          out: parsed.out,
          bytes: frame.pixels.byteLength,
        }),
      );
      return 0;
    } catch (error) {
      io.err(JSON.stringify({ error: toErrorValue(error) }));
      return 3;
    } finally {
      await pool.dispose();
    }
  },
};
