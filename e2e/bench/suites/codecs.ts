import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDicomFile } from '../../../electron/services/dicom/parse';
import { decodeFrame } from '../../../electron/services/dicom/decode';
import type { BenchFigure, BenchSuite } from '../suite';

/**
 * JPEG 2000 and JPEG-LS decode throughput (MB/s of decoded pixels, median of RUNS) on the NEMA WG04
 * files: Lumen's WASM codecs in-thread against pydicom+GDCM (decode timed inside Python) for both, and
 * against dcmtk's dcmdjpls (a whole process: read, decode, write) for JPEG-LS, in the same run.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const wg04 = path.resolve(here, '../../../../shared/data/conformance/wg04');
const RUNS = 5;
const J2K = ['MR2_J2KR.dcm', 'MR2_J2KI.dcm', 'RG3_J2KI.dcm', 'US1_J2KR.dcm', 'US1_J2KI.dcm'];
const JLS = ['RG2_JLSL.dcm', 'CT1_JLSN.dcm'];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const mbps = (bytes: number, seconds: number): number => Math.round((bytes / 2 ** 20 / seconds) * 10) / 10;

async function lumen(file: string): Promise<{ seconds: number; bytes: number }> {
  const parsed = await parseDicomFile(path.join(wg04, file));
  const first = await decodeFrame(parsed, 0); // warm-up: WASM instantiation is not throughput
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await decodeFrame(parsed, 0);
    times.push((performance.now() - t) / 1000);
  }
  return { seconds: median(times), bytes: first.pixels.byteLength };
}

function dcmdjpls(file: string): number {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lumen-bench-'));
  const times: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      execFileSync('dcmdjpls', [path.join(wg04, file), path.join(dir, 'out.dcm')]);
      times.push((performance.now() - t) / 1000);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return median(times);
}

export const suite: BenchSuite = {
  name: 'codecs',
  async run() {
    if (!existsSync(wg04)) return { skipped: `no WG04 files at ${wg04}` };
    const files = [...J2K, ...JLS];
    let gdcm: Record<string, { median_s: number; bytes: number }>;
    try {
      gdcm = JSON.parse(
        execFileSync('/usr/bin/python3', [path.join(here, '..', 'peers', 'gdcm_decode_time.py'), String(RUNS), ...files.map((f) => path.join(wg04, f))], { encoding: 'utf8' }),
      ) as typeof gdcm;
    } catch (error) {
      return { skipped: `pydicom+GDCM peer unavailable: ${(error as Error).message.slice(0, 200)}` };
    }
    const figures: BenchFigure[] = [];
    for (const file of files) {
      const ours = await lumen(file);
      const codec = J2K.includes(file) ? 'JPEG 2000' : 'JPEG-LS';
      const peer = gdcm[path.join(wg04, file)]!;
      figures.push({
        name: `${codec} decode, ${file}`,
        lumen: { value: mbps(ours.bytes, ours.seconds), unit: 'MB/s' },
        peer: { name: 'pydicom+GDCM 3.0 (decode only)', value: mbps(peer.bytes, peer.median_s), unit: 'MB/s' },
        ratio: Math.round((peer.median_s / ours.seconds) * 100) / 100,
        ratioMeaning: 'peer time / Lumen time (higher is better for Lumen)',
        notes: `median of ${RUNS}, in-thread WASM after warm-up, ${ours.bytes} decoded bytes`,
      });
      if (!J2K.includes(file)) {
        const t = dcmdjpls(file);
        figures.push({
          name: `JPEG-LS decode, ${file}, vs dcmtk dcmdjpls`,
          lumen: { value: mbps(ours.bytes, ours.seconds), unit: 'MB/s' },
          peer: { name: 'dcmtk dcmdjpls (whole process: read, decode, write)', value: mbps(ours.bytes, t), unit: 'MB/s' },
          ratio: Math.round((t / ours.seconds) * 100) / 100,
          ratioMeaning: 'peer time / Lumen time (higher is better for Lumen); the peer includes process start and file I/O',
        });
      }
    }
    return { figures };
  },
};
