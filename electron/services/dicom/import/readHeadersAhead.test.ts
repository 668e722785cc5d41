import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataRoot, pythonJson } from '../testSupport';
import { readHeadersAhead } from './readHeadersAhead';

const ctDir = path.join(dataRoot, 'ct', 'chest-275');
const ctFiles = readdirSync(ctDir)
  .filter((f) => f.endsWith('.dcm'))
  .sort()
  .map((f) => path.join(ctDir, f));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'lumen-readahead-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readHeadersAhead', () => {
  it('yields every header in the order given, as pydicom reads them', async () => {
    const files = ctFiles.slice(0, 40);
    const expected = pythonJson<string[]>(
      `import sys, json, pydicom
print(json.dumps([pydicom.dcmread(f, stop_before_pixels=True).SOPInstanceUID for f in sys.argv[1:]]))`,
      files,
    );
    const uids: string[] = [];
    for await (const read of readHeadersAhead(files, 8)) {
      if (!read.ok) throw read.error;
      uids.push(String(read.parsed.dataset.SOPInstanceUID));
    }
    expect(uids).toEqual(expected);
  });

  it('keeps the event loop turning while a read is stuck, and goes on when it returns (a FIFO with no writer stands in for a hung share)', async () => {
    const fifo = path.join(tmp, 'stuck.dcm');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reads = readHeadersAhead([ctFiles[0]!, fifo, ctFiles[1]!], 2);
    expect((await reads.next()).value).toMatchObject({ ok: true, file: ctFiles[0] });
    const stuck = reads.next();
    // Opening a FIFO waits for a writer: a synchronous read here would stop this timer from ever firing.
    const first = await Promise.race([stuck.then(() => 'read'), new Promise((resolve) => setTimeout(() => resolve('timer'), 200))]);
    expect(first).toBe('timer');
    const writer = await open(fifo, 'w');
    await writer.close();
    expect((await stuck).value).toMatchObject({ ok: false, file: fifo });
    expect((await reads.next()).value).toMatchObject({ ok: true, file: ctFiles[1] });
    expect((await reads.next()).done).toBe(true);
  });
});
