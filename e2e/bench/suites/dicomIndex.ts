import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dataRoot, pythonJson } from '../../../electron/services/dicom/testSupport';
import type { BenchSuite } from '../suite';

const ctDir = path.join(dataRoot, 'ct/chest-275');
const REPEATS = 5;

/** pydicom's header read of the same files, timed inside Python (interpreter start excluded). */
const PYDICOM_INDEX = `
import json, sys, glob, os, time, pydicom
files = sorted(glob.glob(os.path.join(sys.argv[1], '*.dcm')))
times = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    for f in files: pydicom.dcmread(f, stop_before_pixels=True)
    times.append((time.perf_counter() - t) * 1000)
print(json.dumps({'files': len(files), 'first': times[0], 'best': min(times)}))
`;

const child = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dicomIndexChild.ts');

export const suite: BenchSuite = {
  name: 'dicomIndex',
  async run() {
    const run = spawnSync(process.execPath, ['--import', 'tsx', child, ctDir, String(REPEATS)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`index child failed: ${run.stderr}`);
    const { runs, parsed } = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { runs: number[]; parsed: number };
    let peer: { files: number; first: number; best: number };
    try {
      peer = pythonJson(PYDICOM_INDEX, [ctDir, String(REPEATS)]);
    } catch (error) {
      return { skipped: `pydicom unavailable: ${(error as Error).message}` };
    }
    const best = Math.min(...runs);
    const first = runs[0]!;
    const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
    return {
      figures: [
        {
          name: `header index, 275-slice CT (best of ${REPEATS}, warm)`,
          lumen: { value: Number(best.toFixed(1)), unit: 'ms' },
          peer: { name: 'pydicom 2.3 dcmread(stop_before_pixels=True), best', value: Number(peer.best.toFixed(1)), unit: 'ms' },
          ratio: ratio(peer.best, best),
          ratioMeaning: 'pydicom time / Lumen time (higher is better)',
          goal: '>= 3',
          notes: `${parsed} files; Lumen scans the folder (walk + synchronous 16 KB header reads + parse) in a fresh process, as pydicom runs in its own; the folder also holds 2 non-DICOM files`,
        },
        {
          name: 'header index, 275-slice CT (first run in the process, cold JIT)',
          lumen: { value: Number(first.toFixed(1)), unit: 'ms' },
          peer: { name: 'pydicom first run', value: Number(peer.first.toFixed(1)), unit: 'ms' },
          ratio: ratio(peer.first, first),
          ratioMeaning: 'pydicom time / Lumen time (higher is better)',
        },
      ],
    };
  },
};
