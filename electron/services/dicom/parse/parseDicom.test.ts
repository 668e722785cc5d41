import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LumenError } from '../../../../shared/domain/errors';
import { dataRoot, pythonJson } from '../testSupport';
import type { NaturalDataset, ParsedDicom } from '../types';
import type { PersonName } from './elementValue';
import { parseDicomBytes, parseDicomFile } from './index';

const conformance = path.join(dataRoot, 'conformance');
const ctDir = path.join(dataRoot, 'ct/chest-275');

/** pydicom's str(PersonName): the component groups joined by "=", trailing empty groups dropped. */
function pnText(value: unknown): string {
  const pn = value as PersonName;
  return [pn.Alphabetic, pn.Ideographic ?? '', pn.Phonetic ?? ''].join('=').replace(/=+$/, '');
}

/** Every PN in a data set and its sequence items, keyed by a path like "Seq[0].PatientName". */
function personNames(ds: NaturalDataset, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(ds)) {
    if (Array.isArray(value) && value.length > 0 && typeof value[0] === 'object' && value[0] !== null && !('Alphabetic' in value[0])) {
      value.forEach((item: NaturalDataset, i) => Object.assign(out, personNames(item, `${prefix}${key}[${i}].`)));
    } else if (Array.isArray(value) && value.length > 1 && typeof value[0] === 'object' && value[0] !== null) {
      out[prefix + key] = `[${value.map(pnText).join(', ')}]`; // pydicom's str() of a multi-valued PN
    } else if (value && typeof value === 'object' && 'Alphabetic' in value) {
      out[prefix + key] = pnText(value);
    }
  }
  return out;
}

const PYDICOM_PERSON_NAMES = `
import json, sys, os, pydicom
def names(ds, prefix=''):
    out = {}
    for e in ds:
        if e.VR == 'SQ':
            for i, item in enumerate(e.value):
                out.update(names(item, f'{prefix}{e.keyword}[{i}].'))
        elif e.VR == 'PN' and e.value not in (None, ''):
            out[prefix + e.keyword] = str(e.value)
    return out
d = sys.argv[1]
print(json.dumps({f: names(pydicom.dcmread(os.path.join(d, f), stop_before_pixels=True)) for f in sorted(os.listdir(d)) if f.endswith('.dcm')}))
`;

describe('header-only parse', () => {
  it('stops before Pixel Data on the JPEG-LS CT and reads the geometry attributes', async () => {
    const parsed = await parseDicomFile(path.join(ctDir, '000001.dcm'), { headerOnly: true });
    expect(parsed.pixelData).toBeUndefined();
    expect(parsed.transferSyntaxUid).toBe('1.2.840.10008.1.2.4.80');
    expect(parsed.dataset.Rows).toBe(512);
    expect(parsed.dataset.PixelSpacing).toEqual([0.78125, 0.78125]);
    expect(parsed.dataset.WindowCenter).toEqual([-450, -450]);
    expect(parsed.dataset.ImageOrientationPatient).toEqual([1, 0, 0, 0, 1, 0]);
    expect(parsed.dataset.RescaleIntercept).toBe(-1000);
    expect('PixelData' in parsed.dataset).toBe(false);
  });

  it('reads on past the first 64 KB when the header is longer (Siemens MR with a CSA header)', async () => {
    const dir = path.join(dataRoot, 'mr/decubitus/HFS/3_t1_fl2d_sag');
    const file = path.join(dir, readdirSync(dir).sort()[0]!);
    const parsed = await parseDicomFile(file, { headerOnly: true });
    expect(parsed.pixelData).toBeUndefined();
    expect(parsed.dataset.Rows).toBe(256);
    expect(parsed.dataset.PatientPosition).toBe('HFS');
  });
});

describe('character sets', () => {
  it('decodes every person name in the charset samples as pydicom does', async () => {
    const dir = path.join(conformance, 'pydicom/charset');
    const expected = pythonJson<Record<string, Record<string, string>>>(PYDICOM_PERSON_NAMES, [dir]);
    expect(Object.keys(expected).length).toBe(17);
    for (const [file, names] of Object.entries(expected)) {
      const parsed = await parseDicomFile(path.join(dir, file), { headerOnly: true });
      expect({ file, names: personNames(parsed.dataset) }).toEqual({ file, names });
    }
  });
});

interface ReferenceFile {
  ts: string;
  rows: number | null;
  frames: number;
  native_length: number | null;
  frame_sha256: string[] | null;
}

const PYDICOM_PIXEL_LAYOUT = `
import json, sys, hashlib, pydicom
from pydicom.encaps import generate_pixel_data_frame
out = {}
for p in sys.argv[1:]:
    ds = pydicom.dcmread(p, force=True)
    ts = str(ds.file_meta.get('TransferSyntaxUID', '')) if hasattr(ds, 'file_meta') else ''
    frames = int(ds.get('NumberOfFrames', 1) or 1)
    el = ds.data_element('PixelData') if 'PixelData' in ds else None
    r = {'ts': ts, 'rows': ds.get('Rows'), 'frames': frames, 'native_length': None, 'frame_sha256': None}
    if el is not None and el.is_undefined_length:
        r['frame_sha256'] = [hashlib.sha256(f).hexdigest() for f in generate_pixel_data_frame(el.value, frames)]
    elif el is not None:
        r['native_length'] = len(el.value)
    out[p] = r
print(json.dumps(out))
`;

describe('full parse of the conformance corpus', () => {
  const rows = readFileSync(path.join(conformance, 'index.csv'), 'utf8').trim().split('\n').slice(1);
  const files = rows
    .map((line) => line.split(',')[0]!)
    .filter((f) => !f.includes('DICOMDIR') && !f.startsWith('pydicom/charset/'))
    .map((f) => path.join(conformance, f));

  it('finds the same frames (SHA-256 of each encapsulated frame) and native lengths as pydicom', async () => {
    const expected = pythonJson<Record<string, ReferenceFile>>(PYDICOM_PIXEL_LAYOUT, files);
    for (const file of files) {
      const ref = expected[file]!;
      let parsed: ParsedDicom;
      try {
        parsed = await parseDicomFile(file);
      } catch (error) {
        throw new Error(`${path.relative(conformance, file)}: ${(error as Error).message}`);
      }
      const name = path.relative(conformance, file);
      if (ref.ts) expect({ name, ts: parsed.transferSyntaxUid }).toEqual({ name, ts: ref.ts });
      expect({ name, rows: parsed.dataset.Rows ?? null }).toEqual({ name, rows: ref.rows });
      const payload = parsed.pixelData;
      if (ref.frame_sha256) {
        expect(payload?.kind === 'encapsulated' || payload?.kind === 'deflatedFrames', name).toBe(true);
        const frames = payload && payload.kind !== 'native' ? payload.frames : [];
        const sha = frames.map((f) => createHash('sha256').update(f).digest('hex'));
        expect({ name, sha }).toEqual({ name, sha: ref.frame_sha256 });
      } else if (ref.native_length !== null && payload) {
        expect({ name, kind: payload.kind }).toEqual({ name, kind: 'native' });
        if (payload.kind === 'native') expect({ name, length: payload.bytes.length }).toEqual({ name, length: ref.native_length });
      }
    }
  });

  it('reads files without File Meta, deflated data sets and big endian', async () => {
    const noMetaImplicit = await parseDicomFile(path.join(conformance, 'pydicom-data/OT-PAL-8-face.dcm'));
    expect(noMetaImplicit.transferSyntaxUid).toBe('1.2.840.10008.1.2');
    expect(noMetaImplicit.warnings?.[0]).toMatch(/No transfer syntax/);
    const noMetaExplicit = await parseDicomFile(path.join(conformance, 'pydicom/ExplVR_LitEndNoMeta.dcm'));
    expect(noMetaExplicit.transferSyntaxUid).toBe('1.2.840.10008.1.2.1');
    const deflated = await parseDicomFile(path.join(conformance, 'pydicom/image_dfl.dcm'));
    expect(deflated.transferSyntaxUid).toBe('1.2.840.10008.1.2.1.99');
    expect(deflated.pixelData?.kind).toBe('native');
    const bigEndian = await parseDicomFile(path.join(conformance, 'pydicom/MR_small_bigendian.dcm'));
    expect(bigEndian.pixelData).toMatchObject({ kind: 'native', bigEndian: true });
    expect(bigEndian.dataset.Rows).toBe(64);
  });
});

interface MalformedEntry {
  file: string;
  defect: string;
}

/**
 * Our verdict for each defect (manifest.json says what is wrong; the codes are ours). 03, 05, 08-12 and
 * 18 have a readable header, so the header-only path (indexing) accepts them and the full path rejects.
 * 17 is read by ignoring the wrong group length, as the manifest allows, with a warning.
 */
const EXPECTED_CODE: Record<string, string | null> = {
  '01_truncated_in_file_meta.dcm': 'DICOM_TRUNCATED',
  '02_truncated_mid_header.dcm': 'DICOM_TRUNCATED',
  '03_truncated_mid_pixel_data.dcm': 'DICOM_TRUNCATED',
  '04_huge_length_PN_implicit.dcm': 'DICOM_BAD_LENGTH',
  '05_huge_length_pixel_data.dcm': 'DICOM_BAD_LENGTH',
  '06_wrong_vr_rows_FD.dcm': 'DICOM_BAD_VR',
  '07_invalid_vr_code_ZZ.dcm': 'DICOM_BAD_VR',
  '08_zero_length_pixel_data.dcm': 'DICOM_PIXEL_DATA_MISSING',
  '09_pixel_data_too_short.dcm': 'DICOM_PIXEL_DATA_TOO_SHORT',
  '10_rows_cols_65535.dcm': 'DICOM_PIXEL_DATA_TOO_SHORT',
  '11_bits_allocated_zero.dcm': 'DICOM_BAD_IMAGE_ATTRIBUTES',
  '12_number_of_frames_1e6.dcm': 'DICOM_PIXEL_DATA_TOO_SHORT',
  '13_undefined_length_sq_never_closed.dcm': 'DICOM_TRUNCATED',
  '14_dicm_then_random.dcm': 'DICOM_NOT_DICOM',
  '15_not_dicom_text.dcm': 'DICOM_NOT_DICOM',
  '16_empty.dcm': 'DICOM_EMPTY',
  '17_meta_group_length_huge.dcm': null,
  '18_encapsulated_truncated_fragment.dcm': 'DICOM_TRUNCATED',
};

describe('malformed files', () => {
  const dir = path.join(conformance, 'malformed');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as MalformedEntry[];

  it('covers every file in the manifest', () => {
    expect(manifest.map((m) => m.file).sort()).toEqual(Object.keys(EXPECTED_CODE).sort());
  });

  for (const entry of manifest) {
    it(`${entry.file}: ${entry.defect.slice(0, 60)}`, async () => {
      const started = performance.now();
      const outcome = await parseDicomFile(path.join(dir, entry.file)).then(
        (parsed) => ({ parsed, code: null as string | null }),
        (error: unknown) => ({ parsed: null, code: error instanceof LumenError ? error.code : `untyped: ${String(error)}` }),
      );
      expect(performance.now() - started).toBeLessThan(1000);
      expect(outcome.code).toBe(EXPECTED_CODE[entry.file]);
      if (outcome.parsed) expect(outcome.parsed.warnings?.join(' ')).toMatch(/group length/);
      // Bytes in memory take the same path and give the same verdict.
      const bytes = new Uint8Array(readFileSync(path.join(dir, entry.file)));
      let bytesCode: string | null = null;
      try {
        parseDicomBytes(bytes);
      } catch (error) {
        bytesCode = error instanceof LumenError ? error.code : 'untyped';
      }
      expect(bytesCode).toBe(outcome.code);
    });
  }
});
