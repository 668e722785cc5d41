import { randomInt } from 'node:crypto';
import {
  DeidentificationOptionsSchema,
  type DeidentificationOptions,
  type DeidentificationOptionsInput,
} from '../../../shared/domain/deidentification';
import { LumenError } from '../../../shared/domain/errors';
import { characterSetFor } from '../dicom/parse/characterSet';
import { lookupTag } from '../dicom/parse/dictionary';
import { newUid } from '../dicom/uid';
import { activeOptionColumns, annexE, concreteAction, resolveAction, type ActionCode, type ConcreteAction, type OptionColumn } from './annexETable';
import type { DeidentificationMapping, PatientMapping } from './deidentificationMapping';
import { findElement, readPart10, textOf, writePart10, type DicomElement } from './part10Elements';
import { dummyValue, encodeText, redactIdentifiers, shiftDates } from './replacementValues';
import { defaultSafePrivateAttributes, safePrivateMatcher, type SafePrivateAttribute } from './safePrivateAttributes';

/**
 * One de-identified export (PS3.15 Annex E, Basic Application Level Confidentiality Profile and the
 * options in DeidentificationOptions). A session is shared by every object of the export so that the
 * same original UID always becomes the same new UID (series, studies and references stay intact), each
 * original patient gets one pseudonym and one date shift, and the whole mapping can be saved encrypted.
 */

export interface DeidentificationWarning {
  code: string;
  /** Clinician-readable; never holds patient data. */
  message: string;
}

export interface DeidentifiedObject {
  /** The new Part 10 file. */
  bytes: Uint8Array;
  warnings: DeidentificationWarning[];
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
}

export interface DeidentificationSessionDeps {
  /** New UIDs (default: 2.25 UUID-derived, PS3.5 B.2). */
  newUid?: () => string;
  /** Days to shift one patient's dates by, a negative integer (default: uniformly 1 to 10 years back). */
  dateOffsetDays?: () => number;
  /** The safe private list (default: safePrivateAttributes.json, empty). */
  safePrivateAttributes?: readonly SafePrivateAttribute[];
  now?: () => Date;
}

const tagOf = (group: number, element: number) => ((group << 16) | element) >>> 0;
const T = {
  SpecificCharacterSet: tagOf(0x0008, 0x0005),
  SOPClassUID: tagOf(0x0008, 0x0016),
  SOPInstanceUID: tagOf(0x0008, 0x0018),
  AccessionNumber: tagOf(0x0008, 0x0050),
  ReferringPhysicianName: tagOf(0x0008, 0x0090),
  CodeValue: tagOf(0x0008, 0x0100),
  CodingSchemeDesignator: tagOf(0x0008, 0x0102),
  CodeMeaning: tagOf(0x0008, 0x0104),
  PerformingPhysicianName: tagOf(0x0008, 0x1050),
  NameOfPhysiciansReadingStudy: tagOf(0x0008, 0x1060),
  OperatorsName: tagOf(0x0008, 0x1070),
  PatientName: tagOf(0x0010, 0x0010),
  PatientID: tagOf(0x0010, 0x0020),
  IssuerOfPatientID: tagOf(0x0010, 0x0021),
  PatientBirthDate: tagOf(0x0010, 0x0030),
  OtherPatientIDs: tagOf(0x0010, 0x1000),
  OtherPatientNames: tagOf(0x0010, 0x1001),
  PatientBirthName: tagOf(0x0010, 0x1005),
  PatientMotherBirthName: tagOf(0x0010, 0x1060),
  PatientIdentityRemoved: tagOf(0x0012, 0x0062),
  DeidentificationMethod: tagOf(0x0012, 0x0063),
  DeidentificationMethodCodeSequence: tagOf(0x0012, 0x0064),
  StudyInstanceUID: tagOf(0x0020, 0x000d),
  SeriesInstanceUID: tagOf(0x0020, 0x000e),
  BurnedInAnnotation: tagOf(0x0028, 0x0301),
  LongitudinalTemporalInformationModified: tagOf(0x0028, 0x0303),
  MediaStorageSOPClassUID: tagOf(0x0002, 0x0002),
  MediaStorageSOPInstanceUID: tagOf(0x0002, 0x0003),
};

/** PS3.16 CID 7050 De-identification Method codes (scheme DCM) for the profile and each option used. */
const METHOD_CODES = {
  basic: ['113100', 'Basic Application Confidentiality Profile'],
  cleanDescriptors: ['113105', 'Clean Descriptors Option'],
  retainLongitudinalModifiedDates: ['113107', 'Retain Longitudinal Temporal Information Modified Dates Option'],
  retainPatientCharacteristics: ['113108', 'Retain Patient Characteristics Option'],
  retainDeviceIdentity: ['113109', 'Retain Device Identity Option'],
  retainUids: ['113110', 'Retain UIDs Option'],
  retainSafePrivate: ['113111', 'Retain Safe Private Option'],
} as const;

/** Free-text VRs: what Clean Descriptors cleans inside a cleaned sequence. */
const FREE_TEXT_VRS = new Set(['LO', 'SH', 'ST', 'LT', 'UT', 'UC', 'PN']);
/**
 * Narrative VRs: what becomes a dummy inside a sequence whose action is D (Content Sequence, Graphic
 * Annotation Sequence). LO and SH stay: there they are coded concepts (Code Meaning, Code Value).
 */
const NARRATIVE_VRS = new Set(['ST', 'LT', 'UT', 'UC']);
/** Delimiters after which ISO 2022 state resets in PN values (PS3.5 6.1.2.5.3). */
const PN_DELIMITERS: ReadonlySet<number> = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x5c, 0x5e, 0x3d]);

interface PatientEntry extends PatientMapping {
  key: string;
}

interface WalkContext {
  patient: PatientEntry;
  /** This object's own identifying values (raw bytes), which Clean removes from descriptors. */
  identifiers: Uint8Array[];
  /** Inside a sequence whose action was C: its free text is cleaned. */
  clean: boolean;
  /** Inside a sequence whose action was D: its free text is dummied. */
  dummyText: boolean;
  /** Shared by the whole object (contexts are copied per sequence): a safe private attribute was kept. */
  found: { safePrivateKept: boolean };
}

function isSequence(e: DicomElement): boolean {
  return e.items !== undefined;
}

/** The VR that gives a value its meaning: for UN elements of a known tag, the dictionary's (PS3.5 6.2.2). */
function effectiveVr(e: DicomElement): string {
  if (e.vr === 'UN') return lookupTag(e.tag)?.vr ?? 'UN';
  return e.vr;
}

function splitValues(value: Uint8Array | undefined): string[] {
  return textOf(value)
    .split('\\')
    .map((v) => v.replace(/[\0 ]+$/, '').trim());
}

export class DeidentificationSession {
  readonly options: DeidentificationOptions;
  private readonly columns: readonly OptionColumn[];
  private readonly uids = new Map<string, string>();
  private readonly patients = new Map<string, PatientEntry>();
  private readonly isSafePrivate: (creator: string, tag: number) => boolean;
  private readonly newUid: () => string;
  private readonly dateOffsetDays: () => number;
  private readonly createdAt: Date;

  constructor(options: DeidentificationOptionsInput = {}, deps: DeidentificationSessionDeps = {}) {
    this.options = DeidentificationOptionsSchema.parse(options);
    this.columns = activeOptionColumns(this.options);
    this.isSafePrivate = safePrivateMatcher(deps.safePrivateAttributes ?? defaultSafePrivateAttributes);
    this.newUid = deps.newUid ?? newUid;
    this.dateOffsetDays = deps.dateOffsetDays ?? (() => -randomInt(365, 3651));
    this.createdAt = (deps.now ?? (() => new Date()))();
  }

  /** The replacement of an original UID in this export, made on first use (PS3.15 E.1.1 action U). */
  replaceUid(original: string): string {
    let replaced = this.uids.get(original);
    if (!replaced) {
      replaced = this.newUid();
      this.uids.set(original, replaced);
    }
    return replaced;
  }

  /** Everything needed to re-identify this export; save it only through mappingVault. */
  mapping(): DeidentificationMapping {
    return {
      format: 'lumen-deidentification-mapping',
      version: 1,
      createdAt: this.createdAt.toISOString(),
      options: this.options,
      uids: Object.fromEntries(this.uids),
      patients: [...this.patients.values()].map(({ key: _key, ...p }) => p),
    };
  }

  /**
   * De-identifies one Part 10 object and returns the new file. Throws DEID_BURNED_IN_ANNOTATION for
   * images flagged Burned In Annotation = YES unless the options say to warn, and DEID_* errors for
   * objects it cannot read.
   */
  deidentify(part10: Uint8Array): DeidentifiedObject {
    const source = readPart10(part10);
    const warnings: DeidentificationWarning[] = [];
    const top = source.dataSet;

    if (textOf(findElement(top, T.BurnedInAnnotation)?.value).toUpperCase() === 'YES') {
      if (this.options.burnedInAnnotation === 'refuse') {
        throw new LumenError(
          'DEID_BURNED_IN_ANNOTATION',
          'This image is flagged as having patient information burned into its pixels (Burned In Annotation = YES), so it was not exported de-identified.',
        );
      }
      warnings.push({
        code: 'DEID_BURNED_IN_ANNOTATION',
        message: 'This image is flagged as having patient information burned into its pixels (Burned In Annotation = YES); it was exported as it is, the pixels may identify the patient.',
      });
    }

    const ctx: WalkContext = {
      patient: this.patientFor(top),
      identifiers: identifyingValues(top),
      clean: false,
      dummyText: false,
      found: { safePrivateKept: false },
    };
    // UIDs first, everywhere in the object, so a UID that an unlisted attribute repeats (and which must
    // not survive) is already known when the walk reaches it, wherever it sits.
    this.registerUids(source.meta);
    this.registerUids(top);
    const dataSet = this.walk(top, ctx);
    this.addDeidentificationAttributes(dataSet, ctx);

    const sopClassUid = textOf(findElement(dataSet, T.SOPClassUID)?.value) || textOf(findElement(source.meta, T.MediaStorageSOPClassUID)?.value);
    let sopInstanceUid = textOf(findElement(dataSet, T.SOPInstanceUID)?.value);
    if (!sopInstanceUid) {
      // SOP Instance UID is Type 1 (PS3.3 C.12.1); a source without one gets it from its File Meta, or a
      // new one, so that the written object names itself.
      const metaUid = textOf(findElement(source.meta, T.MediaStorageSOPInstanceUID)?.value);
      sopInstanceUid = metaUid ? (this.options.retainUids ? metaUid : this.replaceUid(metaUid)) : this.newUid();
      dataSet.push({ tag: T.SOPInstanceUID, vr: 'UI', value: encodeText(sopInstanceUid, 'UI') });
    }
    if (!sopClassUid) {
      throw new LumenError('DEID_UNREADABLE_OBJECT', 'The object has no SOP Class UID, so it cannot be exported.');
    }
    const bytes = writePart10({ transferSyntaxUid: source.transferSyntaxUid, sopClassUid, sopInstanceUid, dataSet });
    return {
      bytes,
      warnings,
      sopClassUid,
      sopInstanceUid,
      studyInstanceUid: textOf(findElement(dataSet, T.StudyInstanceUID)?.value),
      seriesInstanceUid: textOf(findElement(dataSet, T.SeriesInstanceUID)?.value),
    };
  }

  private patientFor(top: readonly DicomElement[]): PatientEntry {
    const id = findElement(top, T.PatientID)?.value;
    const issuer = findElement(top, T.IssuerOfPatientID)?.value;
    const name = findElement(top, T.PatientName)?.value;
    const idText = textOf(id);
    // One patient per Patient ID (and issuer); the name only when there is no ID.
    const key = idText ? `id:${idText}|${textOf(issuer)}` : `name:${textOf(name)}`;
    let entry = this.patients.get(key);
    if (!entry) {
      const charset = characterSetFor(splitValues(findElement(top, T.SpecificCharacterSet)?.value));
      entry = {
        key,
        originalPatientId: id ? charset.decode(id, PN_DELIMITERS).replace(/[\0 ]+$/, '') : '',
        originalPatientName: name ? charset.decode(name, PN_DELIMITERS).replace(/[\0 ]+$/, '') : '',
        pseudonym: `${this.options.pseudonymPrefix}${String(this.patients.size + 1).padStart(4, '0')}`,
        dateOffsetDays: this.options.retainLongitudinalModifiedDates ? this.dateOffsetDays() : 0,
      };
      this.patients.set(key, entry);
    }
    return entry;
  }

  /** The action code for one element: its Annex E row under the chosen options, or the unlisted rule. */
  private actionCode(e: DicomElement): ActionCode | null {
    const row = annexE.rowFor(e.tag);
    if (row) return resolveAction(row, this.columns);
    const vr = effectiveVr(e);
    // Not in Table E.1-1 but identifying by their VR: person names, dates and times. Treated as the
    // table treats their listed kin (X/Z/D; dates C under Modified Dates), see README.md.
    if (vr === 'PN') return 'X/Z/D';
    if (vr === 'DA' || vr === 'DT' || vr === 'TM') return this.options.retainLongitudinalModifiedDates ? 'C' : 'X/Z/D';
    return null;
  }

  private registerUids(elements: readonly DicomElement[]): void {
    for (const e of elements) {
      if (e.items) {
        for (const item of e.items) this.registerUids(item);
        continue;
      }
      if (effectiveVr(e) !== 'UI' || ((e.tag >>> 16) & 1) === 1) continue;
      const code = this.actionCode(e);
      if (code === 'U' || code === 'D' || (code !== null && concreteAction(code, false) === 'D')) {
        for (const uid of splitValues(e.value)) if (uid) this.replaceUid(uid);
      }
    }
  }

  private walk(elements: readonly DicomElement[], ctx: WalkContext): DicomElement[] {
    const out: DicomElement[] = [];
    // Private Creator elements (gggg,0010-00FF) by the block they reserve: (gggg,xx10) is block (gggg,xx).
    const creators = new Map<number, DicomElement>();
    for (const e of elements) {
      const group = e.tag >>> 16;
      const element = e.tag & 0xffff;
      if ((group & 1) === 1 && element >= 0x10 && element <= 0xff) creators.set(((group << 8) | element) >>> 0, e);
    }
    const keptBlocks = new Set<number>();

    for (const e of elements) {
      const group = e.tag >>> 16;
      const element = e.tag & 0xffff;
      // Group lengths (gggg,0000) are retired and would be wrong after any change (PS3.5 7.2).
      if (element === 0x0000) continue;
      if ((group & 1) === 1) {
        // Private attributes: X unless on the safe list (Table E.1-1 last row, PS3.15 E.3.10).
        if (element >= 0x10 && element <= 0xff) continue;
        const block = ((group << 8) | (element >>> 8)) >>> 0;
        const creator = creators.get(block);
        if (creator !== undefined && this.isSafePrivate(textOf(creator.value), e.tag)) {
          out.push(e.items ? { ...e, items: e.items.map((item) => this.walk(item, ctx)) } : e);
          keptBlocks.add(block);
          ctx.found.safePrivateKept = true;
        }
        continue;
      }
      // Overlays (60xx): Table E.1-1 removes Overlay Data and Overlay Comments; the rest of a plane
      // (rows, columns, origin...) is removed with them, since an Overlay Plane without its data is invalid.
      if (group >= 0x6000 && group <= 0x60ff) continue;

      const code = this.actionCode(e);
      let action: ConcreteAction = code === null ? 'K' : concreteAction(code, isSequence(e));
      const vr = effectiveVr(e);
      if (code === null && ctx.clean && FREE_TEXT_VRS.has(vr)) action = 'C';
      if (code === null && ctx.dummyText && NARRATIVE_VRS.has(vr)) action = 'D';
      const result = this.apply(e, action, vr, ctx);
      if (result) out.push(result);
    }
    for (const [block, creator] of creators) if (keptBlocks.has(block)) out.push(creator);
    return out;
  }

  private apply(e: DicomElement, action: ConcreteAction, vr: string, ctx: WalkContext): DicomElement | null {
    if (action === 'X') return null;
    if (e.items) {
      switch (action) {
        case 'Z':
          return { ...e, items: [] };
        case 'C':
          return { ...e, items: e.items.map((item) => this.walk(item, { ...ctx, clean: true })) };
        case 'D':
          return { ...e, items: e.items.map((item) => this.walk(item, { ...ctx, dummyText: true })) };
        default:
          return { ...e, items: e.items.map((item) => this.walk(item, ctx)) };
      }
    }
    if (e.fragments) return e;
    const value = e.value ?? new Uint8Array(0);
    const replaced = (bytes: Uint8Array): DicomElement => ({ tag: e.tag, vr, value: bytes });
    if (vr === 'UI') {
      // Keep (Retain UIDs, or an unlisted UID such as SOP Class UID): only a UID that this export
      // replaces elsewhere is replaced here too, so no original instance UID survives.
      if (action === 'K' || action === 'C' || action === 'U*') return this.options.retainUids ? e : replaced(this.mapKnownUids(value));
      if (action === 'Z') return replaced(new Uint8Array(0));
      return replaced(encodeText(splitValues(value).map((uid) => (uid ? this.replaceUid(uid) : uid)).join('\\'), 'UI'));
    }
    switch (action) {
      case 'K':
      case 'U*':
      case 'U':
        return e;
      case 'Z':
        // Patient's Name and Patient ID: Z allows a dummy; a pseudonym per patient keeps the studies
        // of one patient together in the receiving system.
        if (e.tag === T.PatientName) return replaced(encodeText(`${ctx.patient.pseudonym}^PSEUDONYM`, vr));
        if (e.tag === T.PatientID) return replaced(encodeText(ctx.patient.pseudonym, vr));
        return replaced(new Uint8Array(0));
      case 'D':
        return value.length === 0 ? e : replaced(dummyValue(vr, value));
      case 'C':
        if (vr === 'DA' || vr === 'DT') {
          if (this.options.retainLongitudinalModifiedDates) return replaced(shiftDates(vr, value, ctx.patient.dateOffsetDays));
          return value.length === 0 ? e : replaced(dummyValue(vr, value));
        }
        // Times and UTC offsets do not move under a whole-day shift.
        if (vr === 'TM' || e.tag === tagOf(0x0008, 0x0201)) return e;
        if (FREE_TEXT_VRS.has(vr)) return replaced(redactIdentifiers(value, ctx.identifiers));
        // A binary value cannot be cleaned in place (Frame Origin Timestamp is an OB clock value): dummy it.
        return value.length === 0 ? e : replaced(dummyValue(vr, value));
    }
  }

  private mapKnownUids(value: Uint8Array): Uint8Array {
    const values = splitValues(value);
    if (!values.some((uid) => this.uids.has(uid))) return value;
    return encodeText(values.map((uid) => this.uids.get(uid) ?? uid).join('\\'), 'UI');
  }

  private addDeidentificationAttributes(dataSet: DicomElement[], ctx: WalkContext): void {
    const set = (tag: number, vr: string, value: Uint8Array | undefined, items?: DicomElement[][]) => {
      const i = dataSet.findIndex((e) => e.tag === tag);
      if (i >= 0) dataSet.splice(i, 1);
      dataSet.push(items ? { tag, vr, items } : { tag, vr, value });
    };
    const codes: (readonly [string, string])[] = [METHOD_CODES.basic];
    const names = ['PS3.15 E.1 Basic Profile'];
    const o = this.options;
    if (o.cleanDescriptors) codes.push(METHOD_CODES.cleanDescriptors);
    if (o.retainLongitudinalModifiedDates) codes.push(METHOD_CODES.retainLongitudinalModifiedDates);
    if (o.retainPatientCharacteristics) codes.push(METHOD_CODES.retainPatientCharacteristics);
    if (o.retainDeviceIdentity) codes.push(METHOD_CODES.retainDeviceIdentity);
    if (o.retainUids) codes.push(METHOD_CODES.retainUids);
    if (ctx.found.safePrivateKept) codes.push(METHOD_CODES.retainSafePrivate);
    for (const [, meaning] of codes.slice(1)) names.push(meaning);
    // PS3.15 E.1.1: Patient Identity Removed YES, and the method both as text and as codes (CID 7050).
    set(T.PatientIdentityRemoved, 'CS', encodeText('YES', 'CS'));
    set(T.DeidentificationMethod, 'LO', encodeText(`Lumen: ${names.join('\\')}`, 'LO'));
    set(
      T.DeidentificationMethodCodeSequence,
      'SQ',
      undefined,
      codes.map(([value, meaning]) => [
        { tag: T.CodeValue, vr: 'SH', value: encodeText(value, 'SH') },
        { tag: T.CodingSchemeDesignator, vr: 'SH', value: encodeText('DCM', 'SH') },
        { tag: T.CodeMeaning, vr: 'LO', value: encodeText(meaning, 'LO') },
      ]),
    );
    // PS3.3 C.12.1.1.7 (SOP Common): whether dates and times still are the real ones.
    set(T.LongitudinalTemporalInformationModified, 'CS', encodeText(o.retainLongitudinalModifiedDates ? 'MODIFIED' : 'REMOVED', 'CS'));
  }
}

/** Raw bytes of the values that identify the patient and the people in this object, for Clean. */
function identifyingValues(top: readonly DicomElement[]): Uint8Array[] {
  const tags = [
    T.PatientName, T.PatientID, T.OtherPatientIDs, T.OtherPatientNames, T.PatientBirthName, T.PatientMotherBirthName,
    T.PatientBirthDate, T.AccessionNumber, T.ReferringPhysicianName, T.PerformingPhysicianName,
    T.NameOfPhysiciansReadingStudy, T.OperatorsName, T.IssuerOfPatientID,
  ];
  const found: Uint8Array[] = [];
  for (const tag of tags) {
    const value = findElement(top, tag)?.value;
    if (!value) continue;
    const bytes = Buffer.from(value);
    // Whole values and, for names, their components and groups (PS3.5 6.2.1: ^ between components,
    // = between alphabetic, ideographic and phonetic groups, \ between values).
    const parts = new Set<string>();
    for (const v of bytes.toString('latin1').split('\\')) {
      parts.add(v);
      for (const g of v.split('=')) {
        parts.add(g);
        for (const c of g.split('^')) parts.add(c);
      }
    }
    for (const p of parts) {
      const trimmed = p.replace(/[\0 ]+$/, '').trim();
      // Very short parts (an initial, "M") would blank ordinary words.
      if (trimmed.length >= 3) found.push(new Uint8Array(Buffer.from(trimmed, 'latin1')));
    }
  }
  return found.sort((a, b) => b.length - a.length);
}

export function createDeidentificationSession(options: DeidentificationOptionsInput = {}, deps: DeidentificationSessionDeps = {}): DeidentificationSession {
  return new DeidentificationSession(options, deps);
}
