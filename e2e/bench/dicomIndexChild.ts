/**
 * Indexes a folder `repeats` times in a fresh process (as the pydicom peer runs in its own), so the
 * figure does not carry the heap and threads other suites left in the bench process. Prints one JSON line.
 */
import { scanDicom } from '../../electron/services/dicom/import/index';

const [dir, repeats] = [process.argv[2]!, Number(process.argv[3] ?? 5)];
const runs: number[] = [];
let parsed = 0;
for (let i = 0; i < repeats; i++) {
  const started = performance.now();
  const r = await scanDicom([dir], { onInstance: () => undefined });
  runs.push(performance.now() - started);
  parsed = r.parsed;
}
process.stdout.write(JSON.stringify({ runs, parsed }) + '\n');
