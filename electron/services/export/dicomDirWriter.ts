import { MEDIA_STORAGE_DIRECTORY_SOP_CLASS } from '../dicom/import/dicomDir';
import { IMPLEMENTATION_CLASS_UID } from '../network/part10File';
import { newUid } from '../dicom/uid';
import { LUMEN_VERSION } from '../version';
import type { DirectoryAttributes } from './directoryAttributes';
import {
  binaryElement,
  concatSorted,
  item,
  SEQUENCE_HEADER_LENGTH,
  sequenceElement,
  textElement,
  ulElement,
  usElement,
  type EncodedElement,
} from './explicitVrLittleEndian';

/**
 * The DICOMDIR of a File-set (PS3.10 8, PS3.3 Annex F Basic Directory IOD), written by hand: dcmjs and
 * the other maintained JavaScript DICOM libraries read DICOMDIRs but none writes one, because the
 * format needs byte offsets between records (F.3.2.1) that a general data set writer does not know.
 * Records are laid out depth first (PATIENT, its STUDYs, each STUDY's SERIES, each SERIES' leaf records),
 * as dcmtk's dcmmkdir does; siblings are chained by Offset of the Next Directory Record (0004,1400) and
 * a parent points at its first child with Offset of Referenced Lower-Level Directory Entity (0004,1420).
 * Offsets count from the first byte of the file (the preamble), as PS3.10 7.1 counts the File Meta
 * Information from there.
 */

export interface FileSetEntry {
  /** PS3.10 8.2 File ID components: at most 8, each 1-8 of A-Z 0-9 _. */
  fileId: readonly string[];
  attributes: DirectoryAttributes;
}

const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const PREAMBLE_AND_PREFIX = 132;

/** Leaf record type by SOP Class (PS3.3 F.4 and F.5): SRs, encapsulated documents, otherwise IMAGE. */
export function leafRecordType(sopClassUid: string): 'SR DOCUMENT' | 'ENCAP DOC' | 'IMAGE' {
  if (sopClassUid.startsWith('1.2.840.10008.5.1.4.1.1.88.')) return 'SR DOCUMENT';
  if (sopClassUid.startsWith('1.2.840.10008.5.1.4.1.1.104.')) return 'ENCAP DOC';
  return 'IMAGE';
}

/**
 * Patients are told apart by Patient ID, as the Patient record's only type 1 key (PS3.3 F.5.1) and as
 * dcmmkdir does; the name decides only when there is no ID.
 */
export const patientKeyOf = (a: DirectoryAttributes): string => (a.patientId !== '' ? `id:${a.patientId}` : `name:${a.patientName}`);

interface RecordNode {
  type: string;
  /** Everything but the three offset/type elements, which the layout fills in. */
  elements: EncodedElement[];
  children: RecordNode[];
}

const isAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);

/** PS3.5 Table 6.2-1 maximum lengths (characters) of the text VRs the records copy. */
const MAX_LENGTH: Partial<Record<string, number>> = { SH: 16, LO: 64, CS: 16, IS: 12, DA: 8, ST: 1024 };

/**
 * A source value too long for its VR (seen in real files: a 56-character Accession Number) is cut to
 * the VR's length in the directory record only, so the DICOMDIR stays valid; the file keeps its value.
 */
const fitted = (vr: string, value: string): string => {
  const max = MAX_LENGTH[vr];
  return max !== undefined && value.length > max ? value.slice(0, max) : value;
};

/**
 * The record's own text attributes, with Specific Character Set (0008,0005) when a value is not plain
 * ASCII (PS3.3 F.5: type 1C in every record). Values arrive decoded from their source's character set,
 * so they are written back as UTF-8 under ISO_IR 192, which covers every repertoire.
 */
function textAttributes(values: [number, number, Parameters<typeof textElement>[2], string][]): EncodedElement[] {
  const utf8 = values.some(([, , , v]) => !isAscii(v));
  const out = values.map(([g, e, vr, v]) => textElement(g, e, vr, fitted(vr, v), utf8 ? 'utf8' : 'latin1'));
  if (utf8) out.push(textElement(0x0008, 0x0005, 'CS', 'ISO_IR 192'));
  return out;
}

function codeItem(code: NonNullable<DirectoryAttributes['conceptName']>): Buffer {
  return item(textAttributes([
    [0x0008, 0x0100, 'SH', code.codeValue],
    [0x0008, 0x0102, 'SH', code.codingSchemeDesignator],
    [0x0008, 0x0104, 'LO', code.codeMeaning],
  ]));
}

/**
 * Type 1 record attributes cannot be empty (PS3.3 F.5), but source objects sometimes lack them (the
 * record copies the object; it may not change it). Like dcmmkdir's --invent, a placeholder goes into
 * the record only: the study's or series' number in this File-set, or a neutral date and time.
 */
const typeOne = (value: string, placeholder: string | number): string => (value !== '' ? value : String(placeholder));

function leafRecord(entry: FileSetEntry, ordinal: number): RecordNode {
  const a = entry.attributes;
  const type = leafRecordType(a.sopClassUid);
  const elements: EncodedElement[] = [
    textElement(0x0004, 0x1500, 'CS', entry.fileId),
    textElement(0x0004, 0x1510, 'UI', a.sopClassUid),
    textElement(0x0004, 0x1511, 'UI', a.sopInstanceUid),
    textElement(0x0004, 0x1512, 'UI', a.transferSyntaxUid),
  ];
  const instanceNumber = typeOne(a.instanceNumber, ordinal);
  if (type === 'IMAGE') {
    elements.push(textElement(0x0020, 0x0013, 'IS', instanceNumber));
  } else {
    // PS3.3 F.5.21 (SR Document) and F.5.29 (Encap Doc): content date/time, instance number, concept name.
    elements.push(
      textElement(0x0008, 0x0023, 'DA', a.contentDate),
      textElement(0x0008, 0x0033, 'TM', a.contentTime),
      textElement(0x0020, 0x0013, 'IS', instanceNumber),
      sequenceElement(0x0040, 0xa043, a.conceptName ? [codeItem(a.conceptName)] : []),
    );
    if (type === 'SR DOCUMENT') {
      elements.push(textElement(0x0040, 0xa491, 'CS', a.completionFlag), textElement(0x0040, 0xa493, 'CS', a.verificationFlag));
      if (a.verificationFlag === 'VERIFIED') elements.push(textElement(0x0040, 0xa030, 'DT', a.verificationDateTime));
    } else {
      elements.push(...textAttributes([[0x0042, 0x0010, 'ST', a.documentTitle]]), textElement(0x0042, 0x0012, 'LO', a.mimeType));
    }
  }
  return { type, elements, children: [] };
}

/** PATIENT / STUDY / SERIES / leaf tree, in the order the entries came (the export's order). */
function recordTree(entries: readonly FileSetEntry[]): RecordNode[] {
  const patients = new Map<string, RecordNode>();
  const studies = new Map<string, RecordNode>();
  const series = new Map<string, RecordNode>();
  for (const entry of entries) {
    const a = entry.attributes;
    const patientKey = patientKeyOf(a);
    let patient = patients.get(patientKey);
    if (!patient) {
      // PS3.3 F.5.1 Patient record: Patient's Name (2), Patient ID (1).
      patient = { type: 'PATIENT', elements: textAttributes([[0x0010, 0x0010, 'PN', a.patientName], [0x0010, 0x0020, 'LO', typeOne(a.patientId, `NOID${patients.size + 1}`)]]), children: [] };
      patients.set(patientKey, patient);
    }
    let study = studies.get(a.studyInstanceUid);
    if (!study) {
      // PS3.3 F.5.2 Study record.
      study = {
        type: 'STUDY',
        elements: [
          ...textAttributes([
            [0x0008, 0x0020, 'DA', typeOne(a.studyDate, '19000101')],
            [0x0008, 0x0030, 'TM', typeOne(a.studyTime, '000000')],
            [0x0008, 0x0050, 'SH', a.accessionNumber],
            [0x0008, 0x1030, 'LO', a.studyDescription],
            [0x0020, 0x0010, 'SH', typeOne(a.studyId, patient.children.length + 1)],
          ]),
          textElement(0x0020, 0x000d, 'UI', a.studyInstanceUid),
        ],
        children: [],
      };
      studies.set(a.studyInstanceUid, study);
      patient.children.push(study);
    }
    let seriesNode = series.get(a.seriesInstanceUid);
    if (!seriesNode) {
      // PS3.3 F.5.3 Series record: Modality, Series Instance UID, Series Number (all type 1).
      seriesNode = {
        type: 'SERIES',
        elements: [
          textElement(0x0008, 0x0060, 'CS', typeOne(a.modality, 'OT')),
          textElement(0x0020, 0x000e, 'UI', a.seriesInstanceUid),
          textElement(0x0020, 0x0011, 'IS', typeOne(a.seriesNumber, study.children.length + 1)),
        ],
        children: [],
      };
      series.set(a.seriesInstanceUid, seriesNode);
      study.children.push(seriesNode);
    }
    seriesNode.children.push(leafRecord(entry, seriesNode.children.length + 1));
  }
  return [...patients.values()];
}

interface Placed {
  node: RecordNode;
  offset: number;
  next: Placed | null;
  lower: Placed | null;
}

function encodeRecord(placed: Placed): Buffer {
  return item([
    ulElement(0x0004, 0x1400, placed.next?.offset ?? 0),
    // Record In-use Flag: retired since 2004 but still expected by dciodvfy and written by dcmtk; FFFFH = in use.
    usElement(0x0004, 0x1410, 0xffff),
    ulElement(0x0004, 0x1420, placed.lower?.offset ?? 0),
    textElement(0x0004, 0x1430, 'CS', placed.node.type),
    ...placed.node.elements,
  ]);
}

function fileMetaInformation(sopInstanceUid: string): Buffer {
  const group = concatSorted([
    binaryElement(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    textElement(0x0002, 0x0002, 'UI', MEDIA_STORAGE_DIRECTORY_SOP_CLASS),
    textElement(0x0002, 0x0003, 'UI', sopInstanceUid),
    textElement(0x0002, 0x0010, 'UI', EXPLICIT_VR_LITTLE_ENDIAN),
    textElement(0x0002, 0x0012, 'UI', IMPLEMENTATION_CLASS_UID),
    textElement(0x0002, 0x0013, 'SH', `LUMEN_${LUMEN_VERSION}`.slice(0, 16)),
  ]);
  return Buffer.concat([ulElement(0x0002, 0x0000, group.length).bytes, group]);
}

/** The DICOMDIR file's bytes for a File-set holding `entries`. */
export function writeDicomDir(entries: readonly FileSetEntry[], options: { fileSetId?: string } = {}): Buffer {
  const meta = fileMetaInformation(newUid());
  const fixed = (first: number, last: number) =>
    concatSorted([
      textElement(0x0004, 0x1130, 'CS', options.fileSetId ?? ''),
      ulElement(0x0004, 0x1200, first),
      ulElement(0x0004, 0x1202, last),
      // File-set Consistency Flag: 0000H, no known inconsistencies (PS3.3 F.3.2.1).
      usElement(0x0004, 0x1212, 0),
    ]);
  // Depth-first placement; a record's encoded size does not depend on its offset values (fixed-size UL).
  const placedList: Placed[] = [];
  const place = (nodes: RecordNode[]): Placed[] => {
    const level: Placed[] = [];
    for (const node of nodes) {
      const placed: Placed = { node, offset: 0, next: null, lower: null };
      const previous = level.at(-1);
      if (previous) previous.next = placed;
      level.push(placed);
      placedList.push(placed);
      const children = place(node.children);
      placed.lower = children[0] ?? null;
    }
    return level;
  };
  const roots = place(recordTree(entries));
  let position = PREAMBLE_AND_PREFIX + meta.length + fixed(0, 0).length + SEQUENCE_HEADER_LENGTH;
  for (const placed of placedList) {
    placed.offset = position;
    position += encodeRecord(placed).length;
  }
  const items = placedList.map(encodeRecord);
  const dataset = Buffer.concat([fixed(roots[0]?.offset ?? 0, roots.at(-1)?.offset ?? 0), sequenceElement(0x0004, 0x1220, items).bytes]);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), meta, dataset]);
}
