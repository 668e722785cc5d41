import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeidentificationOptionsInput } from '../../../shared/domain/deidentification';
import { LumenError } from '../../../shared/domain/errors';
import { dataRoot, pythonJson } from '../dicom/testSupport';
import { createDeidentificationSession, type DeidentificationMapping } from './index';
import { concreteCode, expectedCode, rowForHex } from './testing/expectedAction';

/**
 * Acceptance (issue 10) on real files: the chest CT (JPEG-LS), the MR with real-looking identifiers
 * (Siemens, private CSA headers, two series of one patient) and the 17 Specific Character Set files.
 * The original values are gathered independently with pydicom as the raw bytes of each element, in the
 * source's own character set; the written files are scanned for them (Pixel Data aside, compared on its
 * own), read back with pydicom and checked with dciodvfy against the source's own dciodvfy errors.
 */

/** pydicom: every element's raw value bytes, recursively, File Meta and private tags included. */
const ORIGINALS = String.raw`
import sys, json
import pydicom
from pydicom.dataelem import RawDataElement
from pydicom.datadict import dictionary_VR
def vr_of(tag, raw):
    if raw.VR: return raw.VR
    try: return dictionary_VR(tag)
    except Exception: return 'UN'
def walk(ds, out):
    for tag in list(ds._dict.keys()):
        raw = ds._dict[tag]
        if isinstance(raw, RawDataElement):
            vr = vr_of(tag, raw)
            if vr == 'SQ':
                for item in ds[tag].value: walk(item, out)
                continue
            val = raw.value or b''
        else:
            vr = raw.VR
            if vr == 'SQ':
                for item in raw.value: walk(item, out)
                continue
            v = raw.value
            val = v if isinstance(v, bytes) else ('\\'.join(str(x) for x in v) if isinstance(v, pydicom.multival.MultiValue) else str(v)).encode('latin1', 'replace')
        if int(tag) == 0x7fe00010: continue
        out.append(['%08X' % int(tag), vr, val.hex()])
result = []
for f in sys.argv[1:]:
    ds = pydicom.dcmread(f, force=True)
    out = []
    walk(ds.file_meta, out)
    walk(ds, out)
    result.append(out)
print(json.dumps(result))
`;

/** pydicom: what each written file says, and whether its pixels equal the source's. */
const WRITTEN = String.raw`
import sys, json
import numpy as np
import pydicom
def refs(ds, out):
    for el in ds.iterall():
        if el.tag == 0x00081155: out.append(str(el.value))
    return out
result = []
for pair in sys.argv[1:]:
    src_path, out_path = pair.split('::')
    src = pydicom.dcmread(src_path, force=True)
    if 'TransferSyntaxUID' not in src.file_meta:
        src.file_meta.TransferSyntaxUID = pydicom.uid.ImplicitVRLittleEndian
    out = pydicom.dcmread(out_path)
    odd = sorted({'%04X' % el.tag.group for el in out.iterall() if el.tag.group % 2 == 1})
    pixel = None
    if 'PixelData' in src:
        raw_equal = out.PixelData == src.PixelData
        try:
            arrays_equal = bool(np.array_equal(src.pixel_array, out.pixel_array))
        except Exception as e:
            arrays_equal = None
        pixel = {'rawEqual': raw_equal, 'arraysEqual': arrays_equal, 'length': len(out.PixelData), 'encapsulated': out.file_meta.TransferSyntaxUID.is_compressed}
    result.append({
        'odd': odd,
        'identityRemoved': str(out.get('PatientIdentityRemoved', '')),
        'codes': [str(i.CodingSchemeDesignator) + ':' + str(i.CodeValue) for i in out.get('DeidentificationMethodCodeSequence', [])],
        'study': str(out.get('StudyInstanceUID', '')), 'series': str(out.get('SeriesInstanceUID', '')),
        'frameOfReference': str(out.get('FrameOfReferenceUID', '')), 'sop': str(out.get('SOPInstanceUID', '')),
        'mediaStorage': str(out.file_meta.MediaStorageSOPInstanceUID), 'transferSyntax': str(out.file_meta.TransferSyntaxUID),
        'sourceTransferSyntax': str(src.file_meta.get('TransferSyntaxUID', '1.2.840.10008.1.2')),
        'sourceSop': str(src.get('SOPInstanceUID', '')), 'sourceStudy': str(src.get('StudyInstanceUID', '')),
        'sourceSeries': str(src.get('SeriesInstanceUID', '')), 'sourceFrameOfReference': str(src.get('FrameOfReferenceUID', '')),
        'refs': refs(out, []), 'sourceRefs': refs(src, []),
        'patientName': str(out.get('PatientName', '')), 'sourceHasName': 'PatientName' in src,
        'charset': list(out.get('SpecificCharacterSet', [])) if isinstance(out.get('SpecificCharacterSet'), pydicom.multival.MultiValue) else str(out.get('SpecificCharacterSet', '')),
        'sourceCharset': list(src.get('SpecificCharacterSet', [])) if isinstance(src.get('SpecificCharacterSet'), pydicom.multival.MultiValue) else str(src.get('SpecificCharacterSet', '')), 'patientId': str(out.get('PatientID', '')),
        'sex': str(out.get('PatientSex', '')), 'sourceSex': str(src.get('PatientSex', '')),
        'studyDate': str(out.get('StudyDate', '')), 'sourceStudyDate': str(src.get('StudyDate', '')),
        'deviceSerial': str(out.get('DeviceSerialNumber', '')), 'sourceDeviceSerial': str(src.get('DeviceSerialNumber', '')),
        'pixel': pixel,
    })
print(json.dumps(result))
`;

type Original = [string, string, string];
interface Written {
  odd: string[];
  identityRemoved: string;
  codes: string[];
  study: string;
  series: string;
  frameOfReference: string;
  sop: string;
  mediaStorage: string;
  transferSyntax: string;
  sourceTransferSyntax: string;
  sourceSop: string;
  sourceStudy: string;
  sourceSeries: string;
  sourceFrameOfReference: string;
  refs: string[];
  sourceRefs: string[];
  patientName: string;
  sourceHasName: boolean;
  charset: string | string[];
  sourceCharset: string | string[];
  patientId: string;
  sex: string;
  sourceSex: string;
  studyDate: string;
  sourceStudyDate: string;
  deviceSerial: string;
  sourceDeviceSerial: string;
  pixel: { rawEqual: boolean; arraysEqual: boolean | null; length: number; encapsulated: boolean } | null;
}

const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UT', 'UR']);
/** Values the de-identifier itself writes; finding them is no leak. */
const OWN_VALUES = new Set(['ANONYMIZED', 'ANONYMIZED^PERSON', '19000101', '19000101000000', '000000', 'YES']);

function trimValue(bytes: Buffer): Buffer {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x00)) end--;
  let start = 0;
  while (start < end && bytes[start] === 0x20) start++;
  return bytes.subarray(start, end);
}

function splitOn(bytes: Buffer, separators: number[]): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || separators.includes(bytes[i]!)) {
      parts.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  return parts;
}

interface MustGo {
  tag: string;
  vr: string;
  bytes: Buffer;
}

/**
 * The source values that must not survive under the options: instance UIDs, person names (and their
 * groups and components), dates (and times unless dates are kept shifted), private text, and text of
 * every Table E.1-1 attribute whose action removes, empties or dummies it. A value that is also the
 * whole value of an attribute the profile keeps (the MR's Patient's Name "HFS" is also its Patient
 * Position) cannot be told apart in the output and is returned separately.
 */
function valuesThatMustGo(originals: Original[], options: DeidentificationOptionsInput): { mustGo: MustGo[]; sharedWithKept: string[] } {
  const kept = new Set<string>();
  const mustGo: MustGo[] = [];
  for (const [tag, vr, hex] of originals) {
    const group = Number.parseInt(tag.slice(0, 4), 16);
    const element = Number.parseInt(tag.slice(4), 16);
    const value = trimValue(Buffer.from(hex, 'hex'));
    if (value.length === 0) continue;
    const isPrivate = group % 2 === 1;
    const row = isPrivate ? undefined : rowForHex(tag);
    const concrete = row ? concreteCode(expectedCode(row, options), vr === 'SQ') : null;
    const add = (bytes: Buffer, min: number) => {
      const v = trimValue(bytes);
      if (v.length >= min && !OWN_VALUES.has(v.toString('latin1'))) mustGo.push({ tag, vr, bytes: v });
    };
    if (vr === 'UI') {
      if (!options.retainUids || concrete === 'U' || concrete === 'D') {
        for (const uid of splitOn(value, [0x5c])) if (!uid.toString('latin1').startsWith('1.2.840.10008.')) add(uid, 1);
      }
    } else if (vr === 'PN') {
      add(value, 1);
      for (const group of splitOn(value, [0x3d, 0x5c])) {
        add(group, 4);
        for (const component of splitOn(group, [0x5e])) add(component, 4);
      }
    } else if (vr === 'DA' || vr === 'DT') {
      add(value, 8);
    } else if (vr === 'TM') {
      if (!options.retainLongitudinalModifiedDates) add(value, 6);
    } else if (group === 0x0002 && TEXT_VRS.has(vr)) {
      // The File Meta is written anew (Lumen as the source); the source's AE title names its station.
      add(value, 4);
    } else if (isPrivate && TEXT_VRS.has(vr) && !(element >= 0x10 && element <= 0xff)) {
      add(value, 6);
    } else if (concrete && TEXT_VRS.has(vr) && ['X', 'Z', 'D'].includes(concrete)) {
      add(value, 4);
    } else if (!isPrivate && TEXT_VRS.has(vr) && (concrete === null || concrete === 'K')) {
      kept.add(value.toString('latin1'));
    }
  }
  const sharedWithKept = mustGo.filter((m) => kept.has(m.bytes.toString('latin1'))).map((m) => `${m.tag} ${m.vr}`);
  return { mustGo: mustGo.filter((m) => !kept.has(m.bytes.toString('latin1'))), sharedWithKept };
}

/** The written file without its Pixel Data value (compared on its own): the part scanned for originals. */
function scannedPart(bytes: Buffer, pixel: Written['pixel']): Buffer {
  if (!pixel) return bytes;
  // pydicom's encapsulated Pixel Data value ends before the 8-byte Sequence Delimitation Item.
  const end = bytes.length - pixel.length - (pixel.encapsulated ? 8 : 0);
  // The Pixel Data element header sits right there: 12 bytes in Explicit VR (tag, VR, 2 reserved,
  // length), 8 in Implicit VR (tag, length).
  const header = bytes.readUInt16LE(end - 12) === 0x7fe0 && bytes.readUInt16LE(end - 10) === 0x0010 ? 12 : 8;
  expect(bytes.readUInt16LE(end - header)).toBe(0x7fe0);
  expect(bytes.readUInt16LE(end - header + 2)).toBe(0x0010);
  return bytes.subarray(0, end - header);
}

/**
 * The written bytes with every value Lumen generated (new UIDs, pseudonyms) blanked: a short original such
 * as a 4-digit Device Serial Number can occur by chance among the random digits of a new UID or pseudonym,
 * which is not a leak (seen in CI: "1871" inside a fresh 2.25 UID).
 */
function withoutGeneratedValues(bytes: Buffer, mapping: DeidentificationMapping): Buffer {
  const generated = [...Object.values(mapping.uids), ...mapping.patients.map((p) => p.pseudonym)].filter((v) => v.length > 0);
  const masked = Buffer.from(bytes);
  for (const value of generated) {
    const needle = Buffer.from(value, 'latin1');
    for (let at = masked.indexOf(needle); at >= 0; at = masked.indexOf(needle, at + needle.length)) masked.fill(0x20, at, at + needle.length);
  }
  return masked;
}

function dciodvfyErrors(file: string): string[] {
  const r = spawnSync('dciodvfy', [file], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`
    .split('\n')
    .filter((l) => l.startsWith('Error'))
    .map((l) => l.trim());
}

const workDir = mkdtempSync(path.join(tmpdir(), 'lumen-deid-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function firstFiles(dir: string, n: number): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.dcm'))
    .sort()
    .slice(0, n)
    .map((f) => path.join(dir, f));
}

interface ExportRun {
  sources: string[];
  outputs: string[];
  written: Written[];
  originals: Original[][];
  mapping: DeidentificationMapping;
}

function runExport(name: string, sources: string[], options: DeidentificationOptionsInput): ExportRun {
  const session = createDeidentificationSession(options);
  const outputs = sources.map((source, i) => {
    const result = session.deidentify(readFileSync(source));
    expect(result.warnings).toEqual([]);
    const out = path.join(workDir, `${name}-${i}.dcm`);
    writeFileSync(out, result.bytes);
    return out;
  });
  const originals = pythonJson<Original[][]>(ORIGINALS, sources);
  const written = pythonJson<Written[]>(WRITTEN, sources.map((s, i) => `${s}::${outputs[i]}`));
  return { sources, outputs, written, originals, mapping: session.mapping() };
}

function expectNoOriginalSurvives(run: ExportRun, options: DeidentificationOptionsInput): string[] {
  const leaks: string[] = [];
  const shared = new Set<string>();
  run.outputs.forEach((out, i) => {
    const scanned = withoutGeneratedValues(scannedPart(readFileSync(out), run.written[i]!.pixel), run.mapping);
    const { mustGo, sharedWithKept } = valuesThatMustGo(run.originals[i]!, options);
    for (const s of sharedWithKept) shared.add(s);
    expect(mustGo.length).toBeGreaterThan(5);
    for (const m of mustGo) if (scanned.includes(m.bytes)) leaks.push(`${path.basename(run.sources[i]!)} ${m.tag} ${m.vr}`);
  });
  expect(leaks).toEqual([]);
  return [...shared];
}

function expectValidLikeSource(run: ExportRun): void {
  run.outputs.forEach((out, i) => {
    const sourceErrors = new Set(dciodvfyErrors(run.sources[i]!));
    const newErrors = dciodvfyErrors(out).filter((e) => !sourceErrors.has(e));
    expect(newErrors, path.basename(run.sources[i]!)).toEqual([]);
  });
}

function expectPixelsUnchanged(run: ExportRun): void {
  for (const w of run.written) {
    if (!w.pixel) continue;
    expect(w.pixel.rawEqual).toBe(true);
    if (w.pixel.arraysEqual !== null) expect(w.pixel.arraysEqual).toBe(true);
    expect(w.transferSyntax).toBe(w.sourceTransferSyntax);
  }
}

/**
 * Study, Series, Frame of Reference and SOP Instance UIDs: each original has exactly one replacement,
 * the mapping's, and different originals stay different.
 */
function expectUidsReplacedOneToOne(run: ExportRun): void {
  const pairs: [keyof Written, keyof Written][] = [
    ['sourceStudy', 'study'],
    ['sourceSeries', 'series'],
    ['sourceFrameOfReference', 'frameOfReference'],
    ['sourceSop', 'sop'],
  ];
  for (const [from, to] of pairs) {
    const forward = new Map<string, string>();
    for (const w of run.written) {
      const original = w[from] as string;
      const replaced = w[to] as string;
      if (!original) continue;
      expect(replaced).toMatch(/^2\.25\.\d+$/);
      expect(replaced).toBe(run.mapping.uids[original]);
      forward.set(original, replaced);
    }
    expect(new Set(forward.values()).size).toBe(forward.size);
  }
}

const BASIC_CODES = ['DCM:113100'];

describe('de-identification of real files (PS3.15 Annex E basic profile)', () => {
  it('CT chest (JPEG-LS, 5 slices): nothing original survives, one new study/series/frame of reference, pixels and validity kept', () => {
    const run = runExport('ct', firstFiles(path.join(dataRoot, 'ct/chest-275'), 5), {});
    expectNoOriginalSurvives(run, {});
    for (const w of run.written) {
      expect(w.odd).toEqual([]);
      expect(w.identityRemoved).toBe('YES');
      expect(w.codes).toEqual(BASIC_CODES);
      expect(w.mediaStorage).toBe(w.sop);
      expect(w.sop).toBe(run.mapping.uids[w.sourceSop]);
    }
    // One series stays one series: the same new Study and Series UIDs in every slice. (This TCIA
    // series gives each slice its own Frame of Reference UID; those stay distinct, one to one.)
    expect(new Set(run.written.map((w) => w.sourceSeries)).size).toBe(1);
    expect(new Set(run.written.map((w) => w.series)).size).toBe(1);
    expect(new Set(run.written.map((w) => w.study)).size).toBe(1);
    expectUidsReplacedOneToOne(run);
    expectPixelsUnchanged(run);
    expectValidLikeSource(run);
  }, 120_000);

  it('MR with real-looking identifiers (Siemens, private CSA headers, two series of one patient): references remapped, one pseudonym', () => {
    const sources = [
      ...firstFiles(path.join(dataRoot, 'mr/decubitus/HFS/3_t1_fl2d_sag'), 5),
      ...firstFiles(path.join(dataRoot, 'mr/decubitus/HFP/2_t1_fl2d_sag'), 2),
    ];
    const run = runExport('mr', sources, {});
    const shared = expectNoOriginalSurvives(run, {});
    // Patient's Name "HFS"/"HFP" is also the Patient Position, a kept attribute: said here, not hidden.
    expect(shared.filter((s) => s !== '00100010 PN')).toEqual([]);
    for (const w of run.written) {
      expect(w.odd).toEqual([]);
      expect(w.codes).toEqual(BASIC_CODES);
      // Referenced Image Sequence (X/Z/U*): kept, every reference replaced consistently through the map.
      expect(w.sourceRefs.length).toBeGreaterThan(0);
      expect(w.refs).toEqual(w.sourceRefs.map((uid) => run.mapping.uids[uid]));
    }
    // Same Patient ID in both series: one pseudonym for the patient.
    expect(new Set(run.written.map((w) => w.patientId)).size).toBe(1);
    expect(run.mapping.patients).toHaveLength(1);
    expectUidsReplacedOneToOne(run);
    // Two series stay two series, each consistent within itself.
    const seriesOf = (i: number) => run.written[i]!.series;
    expect(new Set([0, 1, 2, 3, 4].map(seriesOf)).size).toBe(1);
    expect(new Set([5, 6].map(seriesOf)).size).toBe(1);
    expect(seriesOf(0)).not.toBe(seriesOf(5));
    // A reference to an exported slice becomes that slice's new SOP Instance UID.
    const newSops = new Set(run.written.map((w) => w.sop));
    const exportedSources = new Set(run.written.map((w) => w.sourceSop));
    for (const w of run.written) w.sourceRefs.forEach((ref, j) => exportedSources.has(ref) && expect(newSops.has(w.refs[j]!)).toBe(true));
    expectPixelsUnchanged(run);
    expectValidLikeSource(run);
  }, 120_000);

  it('MR under the options: dates shifted per patient, patient characteristics and device identity kept', () => {
    const options: DeidentificationOptionsInput = {
      retainLongitudinalModifiedDates: true,
      retainPatientCharacteristics: true,
      retainDeviceIdentity: true,
      cleanDescriptors: true,
    };
    const run = runExport('mr-options', firstFiles(path.join(dataRoot, 'mr/decubitus/HFS/3_t1_fl2d_sag'), 3), options);
    expectNoOriginalSurvives(run, options);
    const offset = run.mapping.patients[0]!.dateOffsetDays;
    expect(offset).toBeLessThan(0);
    for (const w of run.written) {
      expect(w.codes).toEqual(['DCM:113100', 'DCM:113105', 'DCM:113107', 'DCM:113108', 'DCM:113109']);
      const d = w.sourceStudyDate;
      const shifted = new Date(Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8)) + offset * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
      expect(w.studyDate).toBe(shifted);
      expect(w.sex).toBe(w.sourceSex);
      expect(w.sourceDeviceSerial).not.toBe('');
      expect(w.deviceSerial).toBe(w.sourceDeviceSerial);
    }
    expectValidLikeSource(run);
  }, 120_000);

  it('Specific Character Set files (ISO 2022, UTF-8, GB18030, single-byte): names gone as encoded, the rest valid', () => {
    const dir = path.join(dataRoot, 'conformance/pydicom/charset');
    const sources = readdirSync(dir)
      .filter((f) => f.endsWith('.dcm'))
      .sort()
      .map((f) => path.join(dir, f));
    expect(sources).toHaveLength(17);
    const run = runExport('charset', sources, {});
    expectNoOriginalSurvives(run, {});
    for (const w of run.written) {
      expect(w.identityRemoved).toBe('YES');
      if (w.sourceHasName) expect(w.patientName).toMatch(/^ANON\d{4}\^PSEUDONYM$/);
      // The Specific Character Set is kept as it was (ISO 2022 code extensions included): kept text
      // is written back in its own encoding, not transcoded.
      expect(w.charset).toEqual(w.sourceCharset);
    }
    expectPixelsUnchanged(run);
    expectValidLikeSource(run);
  }, 120_000);
});

describe('de-identification of other encodings and of damaged files', () => {
  const conformance = (name: string) => path.join(dataRoot, 'conformance', name);

  it('Implicit VR without File Meta and Deflated Explicit VR: same transfer syntax, pixels kept, valid', () => {
    const run = runExport('encodings', [conformance('pydicom-data/OT-PAL-8-face.dcm'), conformance('pydicom/image_dfl.dcm')], {});
    // The implicit file is scanned as written; the deflated one only reads back (its bytes are compressed).
    const implicitOnly: ExportRun = { ...run, sources: run.sources.slice(0, 1), outputs: run.outputs.slice(0, 1), written: run.written.slice(0, 1), originals: run.originals.slice(0, 1) };
    expectNoOriginalSurvives(implicitOnly, {});
    expect(run.written.map((w) => w.transferSyntax)).toEqual(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1.99']);
    for (const w of run.written) {
      expect(w.identityRemoved).toBe('YES');
      expect(w.odd).toEqual([]);
    }
    expectPixelsUnchanged(run);
    expectValidLikeSource(run);
  }, 120_000);

  it('gives typed errors, without patient data, for damaged files and Explicit VR Big Endian', () => {
    const codeFor = (file: string) => {
      try {
        createDeidentificationSession().deidentify(readFileSync(file));
      } catch (e) {
        expect(e).toBeInstanceOf(LumenError);
        return (e as LumenError).code;
      }
      return 'no error';
    };
    expect(codeFor(conformance('malformed/02_truncated_mid_header.dcm'))).toBe('DEID_UNREADABLE_OBJECT');
    expect(codeFor(conformance('malformed/07_invalid_vr_code_ZZ.dcm'))).toBe('DEID_UNREADABLE_OBJECT');
    expect(codeFor(conformance('malformed/13_undefined_length_sq_never_closed.dcm'))).toBe('DEID_UNREADABLE_OBJECT');
    expect(codeFor(conformance('malformed/18_encapsulated_truncated_fragment.dcm'))).toBe('DEID_UNREADABLE_OBJECT');
    expect(codeFor(conformance('pydicom/MR_small_bigendian.dcm'))).toBe('DEID_UNSUPPORTED_TRANSFER_SYNTAX');
  });
});
