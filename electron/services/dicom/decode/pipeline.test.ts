import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDicomFile } from '../parse';
import { decodeFrame } from './index';
import { pipelineParameters } from './pipelineParameters';
import { applyModalityLut, applyVoiLut, applyPalette, ybrFullToRgb, type VoiLutFunction } from '../../../../shared/imaging';
import { dataRoot } from './conformance';

/**
 * The pixel pipeline (PS3.3 C.11, C.7.6.3) against pydicom 2.3's apply_modality_lut, apply_voi_lut,
 * apply_color_lut and convert_color_space, computed now by reference/pipeline_reference.py on real files.
 */
const here = path.dirname(fileURLToPath(import.meta.url));

function pydicomStages(file: string): { stage: (name: string) => Float64Array | undefined; meta: Record<string, number[] | number> } {
  const out = mkdtempSync(path.join(os.tmpdir(), 'lumen-pipeline-'));
  execFileSync('/usr/bin/python3', [path.join(here, 'reference', 'pipeline_reference.py'), out, path.join(dataRoot, 'conformance', file)], { stdio: 'pipe' });
  return {
    stage: (name) => {
      const f = path.join(out, `${name}.f8`);
      return existsSync(f) ? new Float64Array(new Uint8Array(readFileSync(f)).buffer) : undefined;
    },
    meta: JSON.parse(readFileSync(path.join(out, 'meta.json'), 'utf8')) as Record<string, number[] | number>,
  };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

async function frame0(file: string) {
  const parsed = await parseDicomFile(path.join(dataRoot, 'conformance', file));
  return { parsed, frame: await decodeFrame(parsed, 0) };
}

describe('pixel pipeline against pydicom', () => {
  it('CT_small: rescale to HU and LINEAR / LINEAR_EXACT / SIGMOID windows match apply_modality_lut and apply_voi_lut', async () => {
    const ref = pydicomStages('pydicom/CT_small.dcm');
    const { parsed, frame } = await frame0('pydicom/CT_small.dcm');
    const params = pipelineParameters(parsed.dataset, 0);
    expect(params.modality.kind).toBe('rescale');
    expect(maxAbsDiff(frame.pixels, ref.stage('stored')!)).toBe(0);
    const hu = applyModalityLut(frame.pixels, params.modality);
    expect(maxAbsDiff(hu, ref.stage('modality')!)).toBe(0);
    const [center, width] = ref.meta['window'] as number[];
    const [min, max] = ref.meta['range'] as number[];
    for (const fn of ['LINEAR', 'LINEAR_EXACT', 'SIGMOID'] as VoiLutFunction[]) {
      const voi = applyVoiLut(hu, { kind: 'window', window: { center: center!, width: width! }, function: fn }, { min: min!, max: max! });
      expect(maxAbsDiff(voi, ref.stage(`voi_${fn}`)!), fn).toBeLessThan(1e-6);
    }
  });

  it('vlut_04: the VOI LUT Sequence matches apply_voi_lut', async () => {
    const ref = pydicomStages('pydicom-data/vlut_04.dcm');
    const { parsed, frame } = await frame0('pydicom-data/vlut_04.dcm');
    const params = pipelineParameters(parsed.dataset, 0);
    expect(params.voiLuts.length).toBeGreaterThan(0);
    const modality = applyModalityLut(frame.pixels, params.modality);
    expect(maxAbsDiff(modality, ref.stage('modality')!)).toBe(0);
    const voi = applyVoiLut(modality, { kind: 'lut', lut: params.voiLuts[0]! }, { min: 0, max: 65535 });
    expect(maxAbsDiff(voi, ref.stage('voi')!)).toBe(0);
  });

  it.each(['pydicom/examples_palette.dcm', 'pydicom-data/gdcm-US-ALOKA-16.dcm'])('%s: PALETTE COLOR (segmented for ALOKA) matches apply_color_lut', async (file) => {
    const ref = pydicomStages(file);
    const { parsed, frame } = await frame0(file);
    const params = pipelineParameters(parsed.dataset, 0);
    expect(params.palette).toBeDefined();
    expect(maxAbsDiff(applyPalette(frame.pixels, params.palette!), ref.stage('color')!)).toBe(0);
  });

  it('a segmented palette with an unknown opcode (a damaged copy of ALOKA) is a typed error, not a crash', async () => {
    const { parsed } = await frame0('pydicom-data/gdcm-US-ALOKA-16.dcm');
    const green = Uint16Array.from(parsed.dataset['SegmentedGreenPaletteColorLookupTableData'] as ArrayLike<number>);
    green[0] = 61185; // seen in a fuzzed import; PS3.3 C.7.9.2 defines opcodes 0, 1 and 2
    const damaged = { ...parsed.dataset, SegmentedGreenPaletteColorLookupTableData: green };
    expect(() => pipelineParameters(damaged, 0)).toThrow(expect.objectContaining({ code: 'DICOM_BAD_IMAGE_ATTRIBUTES', message: expect.stringContaining('Segmented Green') }));
  });

  it('SC_ybr_full_uncompressed: YBR_FULL to RGB matches convert_color_space', async () => {
    const ref = pydicomStages('pydicom-data/SC_ybr_full_uncompressed.dcm');
    const { frame } = await frame0('pydicom-data/SC_ybr_full_uncompressed.dcm');
    expect(frame.photometricInterpretation).toBe('YBR_FULL');
    expect(maxAbsDiff(ybrFullToRgb(frame.pixels), ref.stage('rgb')!)).toBe(0);
  });

  it('eCT_Supplemental: rescale and window come from the enhanced functional groups (PS3.3 C.7.6.16)', async () => {
    const ref = pydicomStages('pydicom-data/eCT_Supplemental.dcm');
    const { parsed, frame } = await frame0('pydicom-data/eCT_Supplemental.dcm');
    for (const f of [0, 1]) {
      const params = pipelineParameters(parsed.dataset, f);
      expect(params.modality).toEqual({ kind: 'rescale', slope: ref.meta['slope'], intercept: ref.meta['intercept'] });
      expect(params.windows.map((w) => [w.center, w.width])).toEqual([[(ref.meta['centers'] as number[])[0], (ref.meta['widths'] as number[])[0]]]);
    }
    const params = pipelineParameters(parsed.dataset, 0);
    const hu = applyModalityLut(frame.pixels, params.modality);
    // pydicom 2.3 reads Rescale only at the top level; the reference script copies the frame's values there.
    expect(maxAbsDiff(hu, ref.stage('modality')!)).toBe(0);
    const [min, max] = ref.meta['range'] as number[];
    const voi = applyVoiLut(hu, { kind: 'window', window: params.windows[0]!, function: 'LINEAR' }, { min: min!, max: max! });
    expect(maxAbsDiff(voi, ref.stage('voi_LINEAR')!)).toBeLessThan(1e-6);
  });
});
