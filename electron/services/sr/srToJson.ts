import { LumenError } from '../../../shared/domain/errors';
import type { NaturalDataset } from '../dicom/types';
import { children, codeOf, conceptOf, firstValue, items, numericValue, valueType } from './contentTree';
import { readPart10 } from './part10';

export interface SrContentItemJson {
  relationship: string | null;
  valueType: string;
  concept: { value: string; scheme: string; meaning: string } | null;
  value?: unknown;
  children?: SrContentItemJson[];
}

export interface SrJson {
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  title: SrContentItemJson['concept'];
  template: string | null;
  completionFlag: string | null;
  verificationFlag: string | null;
  contentDate: string | null;
  contentTime: string | null;
  /** HAS OBS CONTEXT items of the root: who or what made the observations (TID 1001/1002). */
  observerContext: SrContentItemJson[];
  content: SrContentItemJson[];
}

const str = (v: unknown) => (v === undefined || v === null ? null : String(firstValue(v)));
const numbers = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(Number);

/** The value of a content item by its value type (PS3.3 C.17.3.2, Table C.17-5 and the value macros). */
function valueOf(item: NaturalDataset): unknown {
  switch (valueType(item)) {
    case 'TEXT':
      return str(item.TextValue);
    case 'CODE':
      return codeOf(item.ConceptCodeSequence) ?? null;
    case 'NUM': {
      const measured = numericValue(item);
      return measured ? { value: measured.value, unit: measured.unit ?? null } : null;
    }
    case 'UIDREF':
      return str(item.UID);
    case 'DATE':
      return str(item.Date);
    case 'TIME':
      return str(item.Time);
    case 'DATETIME':
      return str(item.DateTime);
    case 'PNAME': {
      const name = firstValue(item.PersonName);
      return name && typeof name === 'object' && 'Alphabetic' in name ? String((name as { Alphabetic: unknown }).Alphabetic) : str(name);
    }
    case 'IMAGE':
    case 'COMPOSITE':
    case 'WAVEFORM':
      return items(item.ReferencedSOPSequence).map((r) => ({
        sopClassUid: str(r.ReferencedSOPClassUID),
        sopInstanceUid: str(r.ReferencedSOPInstanceUID),
        frames: r.ReferencedFrameNumber === undefined ? null : numbers(r.ReferencedFrameNumber),
      }))[0] ?? null;
    case 'SCOORD':
      return { graphicType: str(item.GraphicType), data: numbers(item.GraphicData) };
    case 'SCOORD3D':
      return { graphicType: str(item.GraphicType), data: numbers(item.GraphicData), frameOfReferenceUid: str(item.ReferencedFrameOfReferenceUID) };
    case 'CONTAINER':
      return { continuity: str(item.ContinuityOfContent), template: str(items(item.ContentTemplateSequence)[0]?.TemplateIdentifier) };
    default:
      return undefined;
  }
}

function itemJson(item: NaturalDataset): SrContentItemJson {
  const kids = children(item).map(itemJson);
  const value = valueOf(item);
  return {
    relationship: str(item.RelationshipType),
    valueType: valueType(item),
    concept: conceptOf(item) ?? null,
    ...(value === undefined ? {} : { value }),
    ...(kids.length > 0 ? { children: kids } : {}),
  };
}

/** An SR data set's document and content tree as plain JSON; not an SR: SR_NOT_SR. */
export function srDatasetToJson(ds: NaturalDataset): SrJson {
  if (str(ds.Modality) !== 'SR' || valueType(ds) !== 'CONTAINER') {
    throw new LumenError('SR_NOT_SR', 'This file is not a DICOM Structured Report (no SR document content).');
  }
  const content = children(ds).map(itemJson);
  return {
    sopClassUid: str(ds.SOPClassUID) ?? '',
    sopInstanceUid: str(ds.SOPInstanceUID) ?? '',
    studyInstanceUid: str(ds.StudyInstanceUID) ?? '',
    seriesInstanceUid: str(ds.SeriesInstanceUID) ?? '',
    title: conceptOf(ds) ?? null,
    template: str(items(ds.ContentTemplateSequence)[0]?.TemplateIdentifier),
    completionFlag: str(ds.CompletionFlag),
    verificationFlag: str(ds.VerificationFlag),
    contentDate: str(ds.ContentDate),
    contentTime: str(ds.ContentTime),
    observerContext: content.filter((c) => c.relationship === 'HAS OBS CONTEXT'),
    content,
  };
}

/** `lumen sr <file>`: an SR file's content as JSON. */
export function srToJson(bytes: Uint8Array): SrJson {
  return srDatasetToJson(readPart10(bytes).dataset);
}
