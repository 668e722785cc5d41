import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LumenError } from '../../../shared/domain/errors';
import { decodeFrame } from './decode';
import { pipelineParameters } from './decode/pipelineParameters';
import { parseDicomBytes } from './parse';
import { dataRoot, randomWords } from './testSupport';
import type { DecodedFrame } from './types';

/**
 * Malformed input beyond the 18 hand-made files in conformance/malformed: every file of the conformance
 * corpus, broken in seven ways that storage, transfer and hostile senders break files (cut short, bytes
 * scrambled in the header or in the pixel data, a length or a 16-bit field overwritten with an extreme value, in the header or anywhere).
 * Whatever the damage, reading, taking the display parameters and decoding a frame must give a frame of the declared size or a typed
 * DICOM_ error, quickly; and a failed decode must not leave a codec unable to decode the next file.
 */

const conformance = path.join(dataRoot, 'conformance');
/** The core corpus: one file per transfer syntax and pixel format (the charset and DICOMDIR files add no codec path). */
const FILES = readFileSync(path.join(conformance, 'index.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.slice(0, line.indexOf(',')))
  .filter((file) => !file.startsWith('pydicom/charset/') && !file.startsWith('pydicom/dicomdirtests/'));

const EXTREMES = [0xffffffff, 0xfffffffe, 0x7fffffff, 0, 1, 0x10000];

/** Where the last (7FE0,0010) tag starts, little or big endian; -1 if none. */
function pixelDataTag(bytes: Uint8Array): number {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Math.max(b.lastIndexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00])), b.lastIndexOf(Buffer.from([0x7f, 0xe0, 0x00, 0x10])));
}

/** Seven mutants of one file, from a seeded generator so a failure names a mutant that can be made again. */
function mutants(bytes: Uint8Array, seed: number): { what: string; bytes: Uint8Array }[] {
  const r = randomWords(64, seed);
  let i = 0;
  const below = (n: number) => Math.floor(((r[i++]! * 65536 + r[i++]!) / 2 ** 32) * Math.max(1, n));
  const header = Math.min(bytes.length, 4096);
  const copy = () => new Uint8Array(bytes);
  const cut = below(bytes.length);
  const scrambled = copy();
  const spots = Array.from({ length: 4 }, () => below(header));
  for (const at of spots) scrambled[at] = below(256);
  const u32 = (region: number) => {
    const c = copy();
    const at = below(region - 4);
    const value = EXTREMES[below(EXTREMES.length)]!;
    new DataView(c.buffer).setUint32(at, value, true);
    return { what: `u32 ${value} at ${at}`, bytes: c };
  };
  const u16 = copy();
  const u16At = below(bytes.length - 2);
  new DataView(u16.buffer).setUint16(u16At, 0xffff, true);
  // The start of the pixel data (fragment items, codec headers and the first entropy-coded bytes).
  const pixels = Math.max(pixelDataTag(bytes), 0);
  const inFrame = copy();
  const frameSpots = Array.from({ length: 8 }, () => Math.min(bytes.length - 1, pixels + below(2048)));
  for (const at of frameSpots) inFrame[at] = below(256);
  const anywhere = copy();
  const anywhereAt = below(bytes.length);
  anywhere[anywhereAt] = anywhere[anywhereAt]! ^ 0xff;
  return [
    { what: `cut at ${cut}`, bytes: bytes.subarray(0, cut) },
    { what: `header bytes ${spots.join('/')} scrambled`, bytes: scrambled },
    u32(header),
    u32(bytes.length),
    { what: `u16 0xffff at ${u16At}`, bytes: u16 },
    { what: `pixel data bytes ${frameSpots.join('/')} scrambled`, bytes: inFrame },
    { what: `byte ${anywhereAt} inverted`, bytes: anywhere },
  ];
}

type Outcome = { frame: DecodedFrame } | { code: string; message: string } | { untyped: string };

/** What the viewer does with a file: parse it, read its display parameters (LUTs, palette), decode a frame. */
async function readFirstFrame(bytes: Uint8Array): Promise<Outcome> {
  try {
    const parsed = parseDicomBytes(bytes);
    pipelineParameters(parsed.dataset, 0);
    return { frame: await decodeFrame(parsed, 0) };
  } catch (error) {
    if (error instanceof LumenError) return { code: error.code, message: error.message };
    return { untyped: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** A copy of the frame's samples, so later decodes cannot change what is compared. */
function bytesOf(frame: DecodedFrame): Buffer {
  return Buffer.from(new Uint8Array(frame.pixels.buffer, frame.pixels.byteOffset, frame.pixels.byteLength));
}

describe('damaged copies of every conformance file', () => {
  it(`give a frame of the declared size or a typed DICOM error (${FILES.length} files x 7)`, async () => {
    const before = new Map<string, Buffer>();
    for (const file of FILES) {
      const outcome = await readFirstFrame(new Uint8Array(readFileSync(path.join(conformance, file))));
      if ('frame' in outcome) before.set(file, bytesOf(outcome.frame));
    }
    const failures: string[] = [];
    const codes = new Set<string>();
    let decoded = 0;
    for (const [n, file] of FILES.entries()) {
      const bytes = new Uint8Array(readFileSync(path.join(conformance, file)));
      for (const mutant of mutants(bytes, 7919 * (n + 1))) {
        const started = performance.now();
        const outcome = await readFirstFrame(mutant.bytes);
        const ms = performance.now() - started;
        if (ms > 2000) failures.push(`${file} (${mutant.what}): ${ms.toFixed(0)} ms`);
        if ('untyped' in outcome) failures.push(`${file} (${mutant.what}): ${outcome.untyped}`);
        else if ('code' in outcome) {
          codes.add(outcome.code);
          if (!outcome.code.startsWith('DICOM_') || outcome.message.length === 0) failures.push(`${file} (${mutant.what}): ${outcome.code}`);
        } else {
          decoded++;
          const f = outcome.frame;
          if (f.pixels.length !== f.rows * f.columns * f.samplesPerPixel) failures.push(`${file} (${mutant.what}): ${f.pixels.length} samples`);
        }
      }
    }
    expect(failures).toEqual([]);
    // The damage reaches both outcomes and several defects; a generator that only hit padding would not.
    expect(decoded).toBeGreaterThan(FILES.length);
    expect(codes.size).toBeGreaterThanOrEqual(6);

    // Codecs that failed on damaged frames still decode the intact files exactly as before.
    for (const [file, intact] of before) {
      const again = await readFirstFrame(new Uint8Array(readFileSync(path.join(conformance, file))));
      expect('frame' in again && bytesOf(again.frame).equals(intact), file).toBe(true);
    }
  }, 120_000);
});
