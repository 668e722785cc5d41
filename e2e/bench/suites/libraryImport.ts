import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataRoot, pythonJson } from '../../../electron/services/dicom/testSupport';
import { cloneWithNewUids } from '../../../electron/services/library/testing/cloneWithNewUids';
import type { BenchSuite } from '../suite';

const ctDir = path.join(dataRoot, 'ct/chest-275');
const INSTANCES = 10_000;
const child = path.join(path.dirname(fileURLToPath(import.meta.url)), '../libraryImportChild.ts');

/** pydicom indexing the same files: header read (stop_before_pixels), keeping the same facts. */
const PYDICOM_INDEX = `
import json, sys, os, time, resource, pydicom
files = sorted(os.path.join(r, n) for r, _, ns in os.walk(sys.argv[1]) for n in ns)
t = time.perf_counter()
index = {}
for f in files:
    d = pydicom.dcmread(f, stop_before_pixels=True)
    index[str(d.SOPInstanceUID)] = (str(d.StudyInstanceUID), str(d.SeriesInstanceUID), str(d.PatientName), d.get('PatientID'), d.get('StudyDate'), d.get('Modality'))
ms = (time.perf_counter() - t) * 1000
print(json.dumps({'files': len(index), 'ms': ms, 'maxRssMb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

export const suite: BenchSuite = {
  name: 'libraryImport',
  async run() {
    const work = await mkdtemp(path.join(os.tmpdir(), 'lumen-bench-import-'));
    try {
      const source = path.join(work, 'source');
      const files = readdirSync(ctDir).filter((n) => n.endsWith('.dcm')).map((n) => path.join(ctDir, n));
      const written = await cloneWithNewUids(files, source, { copies: Math.ceil(INSTANCES / files.length) });
      for (const extra of written.slice(INSTANCES)) rmSync(extra);

      // Page cache warm for both: the first reader would otherwise pay the disk for the second.
      let peer: { files: number; ms: number; maxRssMb: number };
      try {
        pythonJson(PYDICOM_INDEX, [source]);
        peer = pythonJson(PYDICOM_INDEX, [source]);
      } catch (error) {
        return { skipped: `pydicom unavailable: ${(error as Error).message}` };
      }
      const lumen = JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', child, source, path.join(work, 'data')], { encoding: 'utf8', maxBuffer: 1 << 20 }),
      ) as { ms: number; added: number; failed: number; maxRssMb: number };
      const round = (v: number) => Number(v.toFixed(1));
      return {
        figures: [
          {
            name: `library import, ${INSTANCES} CT instances (reference mode, SQLite WAL, batched commits)`,
            lumen: { value: round(lumen.ms), unit: 'ms' },
            peer: { name: 'pydicom 2.3 dcmread(stop_before_pixels=True) into a dict (no database)', value: round(peer.ms), unit: 'ms' },
            ratio: Number((peer.ms / lumen.ms).toFixed(2)),
            ratioMeaning: 'pydicom time / Lumen time (higher is better)',
            notes: `${lumen.added} added, ${lumen.failed} failed; ${round(INSTANCES / (lumen.ms / 1000))} instances/s; pydicom indexed ${peer.files}`,
          },
          {
            name: `library import, ${INSTANCES} CT instances: peak memory (maxRSS of the process)`,
            lumen: { value: round(lumen.maxRssMb), unit: 'MB' },
            peer: { name: 'pydicom indexing process maxRSS', value: round(peer.maxRssMb), unit: 'MB' },
            ratio: Number((peer.maxRssMb / lumen.maxRssMb).toFixed(2)),
            ratioMeaning: 'pydicom peak / Lumen peak (higher is better)',
          },
        ],
      };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};
