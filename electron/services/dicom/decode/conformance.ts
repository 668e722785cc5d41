import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseDicomFile } from '../parse';
import type { PixelArray } from '../types';
import { decodeFrame } from './index';
import { transferSyntaxInfo } from './transferSyntax';

/**
 * Conformance of Lumen's decoder against decoders that are not Lumen's (reference/decode_reference.py:
 * dcmtk, pydicom+GDCM, OpenJPEG's opj_decompress, zlib). Shared by the vitest suite and the script that
 * writes docs/CONFORMANCE.md, so both say the same thing.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
export const dataRoot = path.resolve(here, '../../../../../shared/data');
const referenceScript = path.join(here, 'reference', 'decode_reference.py');
const python = '/usr/bin/python3';

/**
 * Largest |Lumen - reference| accepted per lossy transfer syntax; lossless must be 0. Measured on the
 * corpus: the DCT and wavelet decoders here are the same algorithms as the references' (IJG islow IDCT in
 * libjpeg-turbo and dcmtk, OpenJPEG in GDCM and opj_decompress), so the allowance only covers builds
 * that round floating-point stages differently.
 */
export const lossyTolerance: Record<string, number> = {
  '1.2.840.10008.1.2.4.50': 2, // JPEG baseline: IDCT / upsampling rounding between IJG builds
  '1.2.840.10008.1.2.4.51': 2,
  '1.2.840.10008.1.2.4.81': 0, // JPEG-LS near-lossless decoding is exact integer arithmetic (T.87)
  '1.2.840.10008.1.2.4.91': 1, // JPEG 2000 irreversible 9/7 wavelet runs in floating point
  '1.2.840.10008.1.2.4.203': 1,
};

export interface CorpusFile {
  /** Path relative to shared/data. */
  file: string;
  absolute: string;
}

export function conformanceCorpus(): CorpusFile[] {
  const index = readFileSync(path.join(dataRoot, 'conformance', 'index.csv'), 'utf8').trim().split('\n').slice(1);
  const files = index.map((line) => `conformance/${line.slice(0, line.indexOf(','))}`);
  const cxr = readdirSync(path.join(dataRoot, 'cxr', 'dicom'))
    .filter((f) => f.endsWith('.dcm'))
    .sort()
    .map((f) => `cxr/dicom/${f}`);
  return [...files, ...cxr].map((file) => ({ file, absolute: path.join(dataRoot, file) }));
}

interface ReferenceMeta {
  dtype?: string;
  frames?: number;
  samplesPerFrame?: number;
  reference: string;
  photometric?: string;
  error?: string;
}

export interface Reference {
  meta: ReferenceMeta;
  samples?: PixelArray;
}

function cacheDir(): string {
  const scriptHash = createHash('sha1').update(readFileSync(referenceScript)).digest('hex').slice(0, 12);
  const dir = path.join(os.tmpdir(), 'lumen-decode-reference', scriptHash);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function typedFromRaw(dtype: string, bytes: Buffer): PixelArray {
  const buffer = new Uint8Array(bytes).buffer;
  const kind = dtype.slice(1);
  const map: Record<string, new (b: ArrayBuffer) => PixelArray> = {
    u1: Uint8Array,
    i1: Int8Array,
    u2: Uint16Array,
    i2: Int16Array,
    u4: Uint32Array,
    i4: Int32Array,
    f4: Float32Array,
    f8: Float64Array,
  };
  const Type = map[kind];
  if (!Type) throw new Error(`reference dtype ${dtype} is not handled`);
  return new Type(buffer);
}

/**
 * Reference decodings keyed by the file's SHA-1 (and the script's), computed by one Python run for all
 * files not yet cached, then read from os.tmpdir(): repeated runs cost no Python.
 */
export async function referenceDecodings(files: readonly CorpusFile[]): Promise<Map<string, Reference>> {
  const dir = cacheDir();
  const keys = new Map(files.map((f) => [f.file, createHash('sha1').update(readFileSync(f.absolute)).digest('hex')]));
  const missing = files.filter((f) => !existsSync(path.join(dir, `${keys.get(f.file)}.json`)));
  // Batches keep the command line short and use both cores.
  const batches: CorpusFile[][] = [[], []];
  missing.forEach((f, i) => batches[i % 2]!.push(f));
  await Promise.all(
    batches
      .filter((b) => b.length > 0)
      .map((batch) =>
        promisify(execFile)(python, [referenceScript, dir, ...batch.map((f) => `${keys.get(f.file)}=${f.absolute}`)], {
          maxBuffer: 64 * 1024 * 1024,
          timeout: 600_000,
        }),
      ),
  );
  const out = new Map<string, Reference>();
  for (const f of files) {
    const key = keys.get(f.file) as string;
    const meta = JSON.parse(readFileSync(path.join(dir, `${key}.json`), 'utf8')) as ReferenceMeta;
    const raw = path.join(dir, `${key}.raw`);
    out.set(f.file, meta.error || !meta.dtype ? { meta } : { meta, samples: typedFromRaw(meta.dtype, readFileSync(raw)) });
  }
  return out;
}

export type ConformanceOutcome =
  | 'exact'
  | 'within tolerance'
  | 'MISMATCH'
  | 'no pixel data'
  | 'reference cannot read'
  | 'LUMEN FAILED';

export interface ConformanceResult {
  file: string;
  transferSyntaxUid: string;
  transferSyntaxName: string;
  photometricInFile: string;
  photometricDecoded: string;
  frames: number;
  outcome: ConformanceOutcome;
  maxDiff?: number;
  tolerance?: number;
  reference: string;
  detail?: string;
}

/** Every frame of one file against its reference; samples are compared as numbers, colour-by-pixel. */
export async function checkFile(entry: CorpusFile, reference: Reference | undefined): Promise<ConformanceResult> {
  let parsed;
  try {
    parsed = await parseDicomFile(entry.absolute);
  } catch (error) {
    return { file: entry.file, transferSyntaxUid: '', transferSyntaxName: '', photometricInFile: '', photometricDecoded: '', frames: 0, outcome: 'LUMEN FAILED', reference: '', detail: String((error as Error).message) };
  }
  const ts = parsed.transferSyntaxUid;
  let tsName = ts;
  try {
    tsName = transferSyntaxInfo(ts).name;
  } catch {
    // reported below as a decode failure
  }
  const photometricInFile = String(parsed.dataset['PhotometricInterpretation'] ?? '').trim();
  const base = { file: entry.file, transferSyntaxUid: ts, transferSyntaxName: tsName, photometricInFile, reference: reference?.meta.reference ?? '' };
  if (!parsed.pixelData) return { ...base, photometricDecoded: '', frames: 0, outcome: 'no pixel data' };
  const tolerance = transferSyntaxInfo(ts).lossy ? (lossyTolerance[ts] ?? 0) : 0;
  const frameCount = Math.max(1, Number(parsed.dataset['NumberOfFrames'] ?? 1));
  let maxDiff = 0;
  let photometricDecoded = '';
  for (let f = 0; f < frameCount; f++) {
    let frame;
    try {
      frame = await decodeFrame(parsed, f);
    } catch (error) {
      return { ...base, photometricDecoded, frames: frameCount, outcome: 'LUMEN FAILED', detail: `frame ${f + 1}: ${(error as Error).message}` };
    }
    photometricDecoded = frame.photometricInterpretation;
    if (!reference?.samples) continue;
    const per = reference.meta.samplesPerFrame ?? 0;
    if (per !== frame.pixels.length || (reference.meta.frames ?? 0) !== frameCount) {
      return { ...base, photometricDecoded, frames: frameCount, outcome: 'MISMATCH', detail: `reference has ${reference.meta.frames} frames of ${per} samples, Lumen ${frameCount} of ${frame.pixels.length}` };
    }
    const ref = reference.samples;
    const offset = f * per;
    for (let i = 0; i < per; i++) {
      const d = Math.abs((frame.pixels[i] as number) - (ref[offset + i] as number));
      if (d > maxDiff || Number.isNaN(d)) maxDiff = Number.isNaN(d) ? Infinity : d;
    }
  }
  if (!reference?.samples) {
    return { ...base, photometricDecoded, frames: frameCount, outcome: 'reference cannot read', detail: reference?.meta.error ?? 'no reference' };
  }
  const outcome: ConformanceOutcome = maxDiff === 0 ? 'exact' : maxDiff <= tolerance ? 'within tolerance' : 'MISMATCH';
  return { ...base, photometricDecoded, frames: frameCount, outcome, maxDiff, tolerance };
}

export async function runConformance(files = conformanceCorpus()): Promise<ConformanceResult[]> {
  const references = await referenceDecodings(files);
  const results: ConformanceResult[] = [];
  for (const entry of files) results.push(await checkFile(entry, references.get(entry.file)));
  return results;
}
