import type { NaturalDataset } from '../dicom/types';
import { LUMEN_SCHEME, type Code } from './codes';
import { codeSequence, referencedSop, type ImageReference } from './contentItems';
import { newInstance, type WrittenObject } from './newInstance';

export type { WrittenObject } from './newInstance';

/** Comprehensive SR Storage (PS3.4 B.5): the SR class TID 1500 and SCOORD items need. */
export const COMPREHENSIVE_SR = '1.2.840.10008.5.1.4.1.1.88.33';

export interface EvidenceImage extends ImageReference {
  studyInstanceUid: string;
  seriesInstanceUid: string;
}

export interface SrDocumentSpec {
  title: Code;
  templateId?: string;
  content: NaturalDataset[];
  /** Every image the content references (Current Requested Procedure Evidence, PS3.3 C.17.2.3). */
  evidence: readonly EvidenceImage[];
  /** Patient and study attributes to copy (from the source images); a new study when none. */
  patientStudy: NaturalDataset;
  seriesDescription: string;
  now?: Date;
}

/** Evidence grouped by study and series, as Hierarchical SOP Instance Reference items (PS3.3 C.17.2.1). */
function evidenceSequence(evidence: readonly EvidenceImage[]): NaturalDataset[] {
  const studies = new Map<string, Map<string, Map<string, EvidenceImage>>>();
  for (const e of evidence) {
    const series = studies.get(e.studyInstanceUid) ?? new Map<string, Map<string, EvidenceImage>>();
    studies.set(e.studyInstanceUid, series);
    const sops = series.get(e.seriesInstanceUid) ?? new Map<string, EvidenceImage>();
    series.set(e.seriesInstanceUid, sops);
    sops.set(e.sopInstanceUid, e);
  }
  return [...studies].map(([study, series]) => ({
    StudyInstanceUID: study,
    ReferencedSeriesSequence: [...series].map(([uid, sops]) => ({
      SeriesInstanceUID: uid,
      ReferencedSOPSequence: [...sops.values()].map((s) => referencedSop({ sopClassUid: s.sopClassUid, sopInstanceUid: s.sopInstanceUid })),
    })),
  }));
}

/**
 * A Comprehensive SR document (PS3.3 A.35.3): Patient, General Study, SR Document Series, General
 * Equipment, SR Document General and SR Document Content modules, written as Part 10 bytes. Lumen's
 * results are machine output nobody has signed: COMPLETE but UNVERIFIED (PS3.3 C.17.2).
 */
export function writeSrDocument(spec: SrDocumentSpec): WrittenObject {
  const instance = newInstance({ sopClassUid: COMPREHENSIVE_SR, patientStudy: spec.patientStudy, modality: 'SR', seriesNumber: 9001, seriesDescription: spec.seriesDescription, ...(spec.now ? { now: spec.now } : {}) });
  return instance.write({
    ReferencedPerformedProcedureStepSequence: [],
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    PerformedProcedureCodeSequence: [],
    ...(spec.evidence.length > 0 ? { CurrentRequestedProcedureEvidenceSequence: evidenceSequence(spec.evidence) } : {}),
    CodingSchemeIdentificationSequence: [LUMEN_SCHEME],
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: codeSequence(spec.title),
    ContinuityOfContent: 'SEPARATE',
    ...(spec.templateId ? { ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: spec.templateId }] } : {}),
    ContentSequence: spec.content,
  });
}
