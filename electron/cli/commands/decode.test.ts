import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dataRoot, referenceDecodings } from '../../services/dicom/decode/conformance';

/** `lumen decode` end to end: the raw file it writes equals the independent reference decoding's frame. */
const main = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../main.ts');

describe('lumen decode', () => {
  it.each([
    ['conformance/pydicom/CT_small.dcm', 0, 'int16', 'MONOCHROME2'],
    ['conformance/pydicom/examples_ybr_color.dcm', 5, 'uint8', 'RGB'],
  ] as const)('%s frame %i', async (file, frame, sampleType, photometric) => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'lumen-cli-')), 'frame.raw');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', main, 'decode', path.join(dataRoot, file), '--frame', String(frame), '--out', out]);
    const info = JSON.parse(stdout) as Record<string, unknown>;
    expect(info).toMatchObject({ sampleType, photometricInterpretation: photometric, frame });
    const ref = (await referenceDecodings([{ file, absolute: path.join(dataRoot, file) }])).get(file)!;
    const per = ref.meta.samplesPerFrame!;
    const expected = ref.samples!.subarray(frame * per, (frame + 1) * per);
    const written = new Uint8Array(readFileSync(out));
    expect(Buffer.from(written).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength))).toBe(true);
    expect(info['rows'] as number * (info['columns'] as number) * (info['samplesPerPixel'] as number)).toBe(per);
  });

  it('exits 3 with a typed error for a file without pixels', async () => {
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', main, 'decode', path.join(dataRoot, 'conformance/pydicom/charset/chrSQEncoding.dcm'), '--out', '/dev/null']);
    await expect(run).rejects.toMatchObject({ code: 3, stderr: expect.stringContaining('DICOM_PIXEL_DATA_MISSING') });
  });
});
