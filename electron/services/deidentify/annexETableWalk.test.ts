import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import { LumenError } from '../../../shared/domain/errors';
import type { DeidentificationOptionsInput } from '../../../shared/domain/deidentification';
import { createDeidentificationSession } from './index';
import { concreteCode, expectedCode, tableRows, type TableRow as Row } from './testing/expectedAction';

/**
 * Acceptance (issue 10): every attribute of PS3.15 Table E.1-1 is treated by its action code. The table
 * is read here as plain data (annexE.json, not through the module under test); a data set holding every
 * attribute of it that dcmjs's dictionary can write is de-identified under each option, read back with
 * dcmjs (an independent reader) and each attribute's outcome is checked against the row's code.
 */

type DcmjsElement = { vr: string; Value?: unknown[]; InlineBinary?: string };
type DcmjsDict = Record<string, DcmjsElement>;

const dictionary = dcmjs.data.DicomMetaDictionary.dictionary;
const AMBIGUOUS: Record<string, string> = { xs: 'US', ox: 'OW', lt: 'OW' };
const NAME = 'Doe^Johnathan';
const REF_UID = '1.2.826.0.1.3680043.10.999.1';
const SOP_INSTANCE = '(0008,0018)';
const BINARY_VRS = new Set(['OB', 'OW', 'UN']);

function originalValue(tag: string, vr: string, n: number): unknown[] {
  const id = `V${tag.replace(/[(),]/g, '')}`;
  switch (vr) {
    case 'PN':
      return [{ Alphabetic: tag === '(0010,0010)' ? NAME : `${id}^Person` }];
    case 'DA':
      return ['20200102'];
    case 'DT':
      return ['20200102101112'];
    case 'TM':
      return ['101112'];
    case 'UI':
      return [tag === SOP_INSTANCE ? REF_UID : `1.2.826.0.1.3680043.10.999.${1000 + n}`];
    case 'AS':
      return ['045Y'];
    case 'DS':
      return ['1.5'];
    case 'IS':
      return ['7'];
    case 'US':
    case 'SS':
    case 'UL':
    case 'SL':
    case 'FL':
    case 'FD':
      return [7];
    case 'OB':
    case 'OW':
    case 'UN':
      return [new Uint8Array([1, 2, 3, 4]).buffer];
    case 'SQ':
      return [{ '00080100': { vr: 'SH', Value: ['C1'] }, '00081155': { vr: 'UI', Value: [REF_UID] } }];
    case 'SH':
    case 'CS':
    case 'AE':
      return [id];
    case 'UR':
      return [`http://example.invalid/${id}`];
    default:
      // LO, LT, ST, UT, UC: a descriptor that repeats the patient's name, for Clean.
      return [`${id} about Johnathan`];
  }
}

interface Included {
  row: Row;
  key: string;
  vr: string;
  value: unknown[];
}

function buildObject(extra: DcmjsDict = {}): { bytes: Uint8Array; included: Included[]; skipped: string[] } {
  const dataSet: DcmjsDict = {
    '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.7'] },
    '00080005': { vr: 'CS', Value: ['ISO_IR 100'] },
  };
  const included: Included[] = [];
  const skipped: string[] = [];
  tableRows.forEach((row, n) => {
    const [tag] = row;
    const m = /^\(([0-9A-F]{4}),([0-9A-F]{4})\)$/.exec(tag);
    const entry = m ? dictionary[tag] : undefined;
    // Wildcards, the private row, command (0000) and File Meta (0002) groups are checked elsewhere.
    if (!m || !entry || m[1] === '0000' || m[1] === '0002') {
      skipped.push(tag);
      return;
    }
    const vr = AMBIGUOUS[entry.vr] ?? entry.vr;
    const key = `${m[1]}${m[2]}`;
    const value = originalValue(tag, vr, n);
    dataSet[key] = { vr, Value: value };
    included.push({ row, key, vr, value });
  });
  Object.assign(dataSet, extra);
  const meta = {
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020002': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.7'] },
    '00020003': { vr: 'UI', Value: [REF_UID] },
    '00020010': { vr: 'UI', Value: ['1.2.840.10008.1.2.1'] },
  };
  const dict = new dcmjs.data.DicomDict(meta);
  dict.dict = dataSet;
  return { bytes: new Uint8Array(dict.write() as ArrayBuffer), included, skipped };
}

function readBack(bytes: Uint8Array): DcmjsDict {
  const copy = bytes.slice().buffer;
  return dcmjs.data.DicomMessage.readFile(copy).dict as DcmjsDict;
}

function text(value: unknown[] | undefined): string {
  if (!value) return '';
  return value
    .map((v) => {
      if (v instanceof ArrayBuffer) return Buffer.from(v).toString('hex');
      if (typeof v === 'object' && v !== null && 'Alphabetic' in v) return String((v as { Alphabetic: string }).Alphabetic);
      return String(v);
    })
    .join('\\');
}

function shiftDate(yyyymmdd: string, days: number): string {
  const t = Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10).replaceAll('-', '');
}

const COMBINATIONS: DeidentificationOptionsInput[] = [
  {},
  { retainLongitudinalModifiedDates: true },
  { retainPatientCharacteristics: true },
  { cleanDescriptors: true },
  { retainDeviceIdentity: true },
  { retainUids: true },
  { retainLongitudinalModifiedDates: true, retainPatientCharacteristics: true, cleanDescriptors: true, retainDeviceIdentity: true, retainUids: true },
];

describe('PS3.15 Table E.1-1 walk', () => {
  const built = buildObject();

  it('covers the table: every non-wildcard, non-private attribute that dcmjs can write is in the test object', () => {
    expect(built.included.length).toBeGreaterThan(400);
    // Left out: wildcards and the private row (own tests below), the command group (0000), which never
    // appears in a stored object, and File Meta (0002), checked on real files.
    expect(built.skipped.filter((t) => !/^\((0000|0002|50XX|60XX),|^\(GGGG/.test(t))).toEqual([]);
    const notInDictionary = built.skipped.filter((t) => /^\([0-9A-F]{4},[0-9A-F]{4}\)$/.test(t) && !dictionary[t]);
    expect(notInDictionary).toEqual([]);
  });

  for (const options of COMBINATIONS) {
    it(`treats every attribute by its action code with options ${JSON.stringify(options)}`, () => {
      const session = createDeidentificationSession(options);
      const result = session.deidentify(built.bytes);
      const out = readBack(result.bytes);
      const mapping = session.mapping();
      const offset = mapping.patients[0]!.dateOffsetDays;
      const newSop = text(out['00080018']?.Value);
      const failures: string[] = [];
      for (const { row, key, vr, value } of built.included) {
        const code = expectedCode(row, options);
        const el = out[key];
        const original = text(value);
        const got = text(el?.Value);
        const isSq = vr === 'SQ';
        const concrete = concreteCode(code, isSq);
        const fail = (why: string) => failures.push(`${row[0]} ${row[1]} [${code}] ${why}`);
        switch (concrete) {
          case 'X':
            if (el) fail('should be removed');
            break;
          case 'Z':
            if (!el) fail('should be present (empty)');
            else if (isSq) {
              if ((el.Value ?? []).length !== 0) fail('sequence should have no items');
            } else if (key === '00100010') {
              if (!/^ANON\d{4}\^PSEUDONYM$/.test(got)) fail(`expected a pseudonym, got ${got}`);
            } else if (key === '00100020') {
              if (!/^ANON\d{4}$/.test(got)) fail(`expected a pseudonym, got ${got}`);
            } else if (got !== '') fail(`should be empty, got ${got}`);
            break;
          case 'D':
            if (!el) fail('should be present (dummy)');
            else if (isSq) {
              if ((el.Value ?? []).length !== 1) fail('dummied sequence keeps its item');
            } else if (got === '' || got === original) fail(`should be a dummy, got ${got}`);
            else if (vr === 'UI' && !/^2\.25\.\d+$/.test(got)) fail(`dummy UID should be new, got ${got}`);
            break;
          case 'K':
            if (!el) fail('should be kept');
            else if (!isSq && got !== original) fail(`should be unchanged, got ${got}`);
            break;
          case 'C':
            if (!el) fail('should be present (cleaned)');
            else if (vr === 'DA') {
              if (got !== shiftDate('20200102', offset)) fail(`date should be shifted by ${offset} days, got ${got}`);
            } else if (vr === 'DT') {
              if (got !== `${shiftDate('20200102', offset)}101112`) fail(`datetime should be shifted by ${offset} days, got ${got}`);
            } else if (vr === 'TM' || key === '00080201') {
              if (got !== original) fail(`time should be kept, got ${got}`);
            } else if (BINARY_VRS.has(vr)) {
              // A binary timestamp (Frame Origin Timestamp, OB) cannot be shifted as a date: it is dummied.
              if (!/^(00)+$/.test(got)) fail(`binary value should be a dummy, got ${got}`);
            } else if (isSq) {
              if ((el.Value ?? []).length !== 1) fail('cleaned sequence keeps its item');
            } else if (got !== original.replace(/johnathan/gi, 'XXXXXXXXX')) fail(`should have the patient's name cleaned out, got ${got}`);
            break;
          case 'U':
            if (!/^2\.25\.\d+$/.test(got) || got === original) fail(`UID should be replaced, got ${got}`);
            else if (mapping.uids[original] !== got) fail('replacement is not the one in the mapping');
            break;
          case 'U*': {
            const items = (el?.Value ?? []) as DcmjsDict[];
            if (items.length !== 1) fail('reference sequence should keep its item');
            else if (text(items[0]!['00081155']?.Value) !== newSop) fail('referenced UID should map like the SOP Instance UID it names');
            break;
          }
          default:
            fail(`unexpected code ${concrete}`);
        }
      }
      expect(failures).toEqual([]);
      // PS3.15 E.1.1: identity removed, and the method recorded as text and as CID 7050 codes.
      expect(text(out['00120062']?.Value)).toBe('YES');
      const codes = ((out['00120064']?.Value ?? []) as DcmjsDict[]).map((item) => `${text(item['00080102']?.Value)}:${text(item['00080100']?.Value)}`);
      const expectedCodes = ['DCM:113100'];
      if (options.cleanDescriptors) expectedCodes.push('DCM:113105');
      if (options.retainLongitudinalModifiedDates) expectedCodes.push('DCM:113107');
      if (options.retainPatientCharacteristics) expectedCodes.push('DCM:113108');
      if (options.retainDeviceIdentity) expectedCodes.push('DCM:113109');
      if (options.retainUids) expectedCodes.push('DCM:113110');
      expect(codes).toEqual(expectedCodes);
      expect(text(out['00280303']?.Value)).toBe(options.retainLongitudinalModifiedDates ? 'MODIFIED' : 'REMOVED');
      expect(text(out['00120063']?.Value)).toMatch(/Basic Profile/);
    });
  }

  const wildcardsAndPrivate: DcmjsDict = {
    '00091001': { vr: 'LO', Value: ['private secret'] },
    '00090010': { vr: 'LO', Value: ['ACME 1.0'] },
    '00091102': { vr: 'LO', Value: ['other block'] },
    '00090011': { vr: 'LO', Value: ['OTHER'] },
    '50003000': { vr: 'OW', Value: [new Uint8Array(8).buffer] },
    '60000010': { vr: 'US', Value: [8] },
    '60000011': { vr: 'US', Value: [8] },
    '60003000': { vr: 'OW', Value: [new Uint8Array(8).buffer] },
    '60004000': { vr: 'LT', Value: ['overlay comment'] },
  };

  it('removes curves (50xx,xxxx), whole overlay planes (60xx) and private attributes not on the safe list', () => {
    const { bytes } = buildObject(wildcardsAndPrivate);
    const out = readBack(createDeidentificationSession().deidentify(bytes).bytes);
    const left = Object.keys(out).filter((k) => /^(5|6)0/.test(k) || Number.parseInt(k.slice(0, 4), 16) % 2 === 1);
    expect(left).toEqual([]);
  });

  it('keeps a private attribute that the safe list names, with its Private Creator, and says so (113111)', () => {
    const { bytes } = buildObject(wildcardsAndPrivate);
    const session = createDeidentificationSession({}, { safePrivateAttributes: [{ creator: 'ACME 1.0', group: '0009', element: '01', source: 'test' }] });
    const out = readBack(session.deidentify(bytes).bytes);
    expect(Object.keys(out).filter((k) => Number.parseInt(k.slice(0, 4), 16) % 2 === 1).sort()).toEqual(['00090010', '00091001']);
    expect(text(out['00091001']?.Value)).toBe('private secret');
    const codes = ((out['00120064']?.Value ?? []) as DcmjsDict[]).map((item) => text(item['00080100']?.Value));
    expect(codes).toContain('113111');
  });
});

describe('Burned In Annotation (0028,0301)', () => {
  const burned = buildObject({ '00280301': { vr: 'CS', Value: ['YES'] } }).bytes;

  it('refuses an image flagged YES by default', () => {
    const session = createDeidentificationSession();
    let error: unknown;
    try {
      session.deidentify(burned);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LumenError);
    expect((error as LumenError).code).toBe('DEID_BURNED_IN_ANNOTATION');
    expect((error as LumenError).message).not.toMatch(/Johnathan|Doe/);
  });

  it('de-identifies it with a warning when the user chose warn', () => {
    const result = createDeidentificationSession({ burnedInAnnotation: 'warn' }).deidentify(burned);
    expect(result.warnings.map((w) => w.code)).toEqual(['DEID_BURNED_IN_ANNOTATION']);
    expect(text(readBack(result.bytes)['00100010']?.Value)).toMatch(/^ANON\d{4}\^PSEUDONYM$/);
  });

  it('exports an image flagged NO without a warning', () => {
    const result = createDeidentificationSession().deidentify(buildObject({ '00280301': { vr: 'CS', Value: ['NO'] } }).bytes);
    expect(result.warnings).toEqual([]);
  });
});
