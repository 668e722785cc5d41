import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LumenError } from '../../../../shared/domain/errors';
import { dataRoot, pythonJson } from '../testSupport';
import { scanDicom, type ScanProgress } from './index';

const dicomDirTests = path.join(dataRoot, 'conformance/pydicom/dicomdirtests');
const malformed = path.join(dataRoot, 'conformance/malformed');

const PYDICOM_DICOMDIR = `
import json, sys, os, pydicom
d = pydicom.dcmread(sys.argv[1])
root = os.path.dirname(sys.argv[1])
print(json.dumps(sorted({os.path.join(root, *([r.ReferencedFileID] if isinstance(r.ReferencedFileID, str) else list(r.ReferencedFileID))) for r in d.DirectoryRecordSequence if 'ReferencedFileID' in r})))
`;

describe('import scan', () => {
  it('resolves a DICOMDIR to the files it references, as pydicom reads the records', async () => {
    const dicomDir = path.join(dicomDirTests, 'DICOMDIR');
    const expected = pythonJson<string[]>(PYDICOM_DICOMDIR, [dicomDir]);
    const found: string[] = [];
    const result = await scanDicom([dicomDir], { onInstance: (file) => void found.push(file) });
    expect(found.sort()).toEqual(expected);
    expect(result.directories).toEqual([dicomDir]);
    expect(result.failures).toEqual([]);
  });

  it('reads a folder holding a DICOMDIR and its files once each', async () => {
    const found: string[] = [];
    const result = await scanDicom([dicomDirTests], { onInstance: (file) => void found.push(file) });
    expect(new Set(found).size).toBe(found.length);
    expect(found.length).toBe(31);
    // README.txt is the only non-DICOM file there.
    expect(result.failures.map((f) => path.basename(f.path))).toEqual(['README.txt']);
  });

  it('reports every bad file with its path and a one-line reason, goes on, and counts progress', async () => {
    const progress: ScanProgress[] = [];
    const found: string[] = [];
    const result = await scanDicom([malformed], { onInstance: (file) => void found.push(file), onProgress: (p) => progress.push(p), progressIntervalMs: 0 });
    // Header-only indexing accepts the files whose header is sound (their pixels fail later, at decode).
    expect(result.seen).toBe(20);
    expect(result.parsed + result.failed).toBe(result.seen);
    for (const f of result.failures) {
      expect(f.path.startsWith(malformed)).toBe(true);
      expect(f.code).toMatch(/^[A-Z]+(_[A-Z0-9]+)+$/);
      expect(f.reason).not.toContain('\n');
    }
    expect(result.failures.map((f) => path.basename(f.path)).sort()).toEqual(
      ['01_truncated_in_file_meta.dcm', '02_truncated_mid_header.dcm', '04_huge_length_PN_implicit.dcm', '06_wrong_vr_rows_FD.dcm', '07_invalid_vr_code_ZZ.dcm',
        '13_undefined_length_sq_never_closed.dcm', '14_dicm_then_random.dcm', '15_not_dicom_text.dcm', '16_empty.dcm', 'README.md', 'manifest.json'].sort(),
    );
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.parsed).toBeGreaterThanOrEqual(progress[i - 1]!.parsed);
      expect(progress[i]!.failed).toBeGreaterThanOrEqual(progress[i - 1]!.failed);
    }
    expect(progress.at(-1)).toEqual({ seen: 20, parsed: result.parsed, failed: result.failed });
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    let instances = 0;
    const scan = scanDicom([path.join(dataRoot, 'ct/chest-275')], {
      signal: controller.signal,
      onInstance: () => {
        if (++instances === 10) controller.abort();
      },
    });
    await expect(scan).rejects.toSatisfy((e: unknown) => e instanceof LumenError && e.code === 'IMPORT_CANCELLED');
    expect(instances).toBeLessThan(40);
  });

  it('reports a path that does not exist', async () => {
    const result = await scanDicom([path.join(dataRoot, 'no-such-folder')], { onInstance: () => undefined });
    expect(result.failures.map((f) => f.code)).toEqual(['IMPORT_PATH_NOT_FOUND']);
  });

  it('follows links to files and folders, walks a folder reached twice once, and skips a dangling link', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'lumen-links-'));
    try {
      const hfs = path.join(dataRoot, 'mr/decubitus/HFS');
      const series = readdirSync(hfs)[0]!;
      const slices = readdirSync(path.join(hfs, series)).filter((n) => n.endsWith('.dcm'));
      mkdirSync(path.join(work, 'study'));
      symlinkSync(path.join(hfs, series), path.join(work, 'study', 'series')); // a linked folder
      symlinkSync(path.join(hfs, series, slices[0]!), path.join(work, 'one.dcm')); // a linked file
      symlinkSync(work, path.join(work, 'study', 'up')); // back up the tree
      symlinkSync(path.join(work, 'gone.dcm'), path.join(work, 'dangling.dcm'));
      const found: string[] = [];
      const result = await scanDicom([work], { onInstance: (file) => void found.push(file) });
      expect(found.sort()).toEqual([path.join(work, 'one.dcm'), ...slices.map((n) => path.join(work, 'study', 'series', n))].sort());
      expect(result.failures).toEqual([]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
