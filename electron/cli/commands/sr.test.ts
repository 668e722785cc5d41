import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { indexToPatient } from '../../../shared/domain/geometry/framePlane';
import { srCommand } from './sr';
import { dataRoot } from '../../services/dicom/testSupport';
import { layoutSeries } from '../../services/viewer/seriesLayout';
import { frameImages } from '../../services/sr/frameImages';
import { writeMeasurementReport } from '../../services/sr/measurementReport';
import { patientStudyOf } from '../../services/sr/sourceImage';
import type { SrContentItemJson, SrJson } from '../../services/sr/srToJson';
import { writeTemp } from '../../services/sr/testing/referenceTools';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await srCommand.run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const all = (items: SrContentItemJson[]): SrContentItemJson[] => items.flatMap((i) => [i, ...all(i.children ?? [])]);

describe('lumen sr <file>', () => {
  it("prints a written measurement report's content tree as JSON", { timeout: 60_000 }, async () => {
    const file = path.join(dataRoot, 'cxr/dicom/966_fixed.dcm');
    const layout = await layoutSeries([file]);
    const frames = frameImages(layout);
    const p = (i: number, j: number) => indexToPatient(frames[0]!.plane, i, j);
    const measurement = { id: 'm1', kind: 'length' as const, seriesInstanceUid: frames[0]!.seriesInstanceUid, frame: 0, points: [p(10, 20), p(110, 20)], label: '16.0 mm', values: { lengthMm: 16 }, units: 'US' };
    const written = writeMeasurementReport([measurement], new Map([[measurement.seriesInstanceUid, frames]]), patientStudyOf(layout.first));
    // Through the real entry point: `lumen sr` is registered and prints JSON on stdout.
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'sr', writeTemp(written.bytes)], { cwd: repo, encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    const json = JSON.parse(cli.stdout) as SrJson;
    expect(json.sopInstanceUid).toBe(written.sopInstanceUid);
    expect(json.title).toEqual({ value: '126000', scheme: 'DCM', meaning: 'Imaging Measurement Report' });
    expect(json.template).toBe('1500');
    expect(json.observerContext.find((c) => c.concept?.meaning === 'Device Observer Name')?.value).toBe('Lumen');
    const items = all(json.content);
    const length = items.find((i) => i.valueType === 'NUM' && i.concept?.meaning === 'Length');
    expect(length?.value).toEqual({ value: 16, unit: { value: 'mm', scheme: 'UCUM', meaning: 'millimeter' } });
    const scoord = length?.children?.[0];
    expect(scoord).toMatchObject({ relationship: 'INFERRED FROM', valueType: 'SCOORD', value: { graphicType: 'POLYLINE', data: [10.5, 20.5, 110.5, 20.5] } });
    expect(scoord?.children?.[0]?.value).toMatchObject({ sopInstanceUid: frames[0]!.sopInstanceUid });
  });

  it('refuses an image that is not an SR, and a file that is not DICOM, with a typed error and a non-zero exit', async () => {
    const ct = path.join(dataRoot, 'ct/chest-275', readdirSync(path.join(dataRoot, 'ct/chest-275')).find((f) => f.endsWith('.dcm'))!);
    const notSr = await run([ct]);
    expect(notSr.code).toBe(1);
    expect(notSr.err).toMatch(/^lumen sr: SR_NOT_SR: /);
    const text = writeTemp(new Uint8Array(Buffer.from('not dicom at all')), 'note.txt');
    const garbage = await run([text]);
    expect(garbage.code).toBe(1);
    expect(garbage.err).toMatch(/^lumen sr: [A-Z_]+: /);
    const missing = await run([path.join(path.dirname(text), 'absent.dcm')]);
    expect(missing.err).toMatch(/^lumen sr: SR_FILE_UNREADABLE: /);
    expect((await run([])).code).toBe(2);
  });
});
