import { LumenError } from '../../../shared/domain/errors';
import type { NaturalDataset } from '../dicom/types';
import type { ProgressionPrediction } from '../progression/runProgression';
import { CODES, UNITS, sameCode } from './codes';
import { childWith, childrenWith, children, conceptOf, numericValue } from './contentTree';
import { codeItem, containerItem, numItem, textItem } from './contentItems';
import { observerContext } from './observerContext';
import { RESEARCH_USE_ONLY } from './aiResultReport';
import { writeSrDocument, type WrittenObject } from './srDocument';

/**
 * A subject's progression predictions as one Comprehensive SR: the model (TID 4019 Algorithm
 * Identification) and provider, "research use only", then one Visit container per prediction with its
 * visit number, horizon, risk and the attention weights over visits 1..k, in visit order.
 * `patientStudy` names the patient (and study, if the caller has one; else a new study is made).
 */
export function writeProgressionReport(predictions: readonly ProgressionPrediction[], patientStudy: NaturalDataset, now?: Date): WrittenObject {
  const first = predictions[0];
  if (!first) throw new LumenError('SR_NOTHING_TO_WRITE', 'There are no progression results to write.');
  const visits = predictions.map((p) =>
    containerItem('CONTAINS', CODES.visit, [
      numItem('CONTAINS', CODES.visitNumber, p.visit, UNITS.none!),
      numItem('CONTAINS', CODES.horizon, p.horizonDays, UNITS.days!),
      numItem('CONTAINS', CODES.risk, p.risk, UNITS.probability!),
      ...p.attention.map((w) => numItem('CONTAINS', CODES.attentionWeight, w, UNITS.none!)),
    ]),
  );
  return writeSrDocument({
    title: CODES.progressionReport,
    content: [
      codeItem('HAS CONCEPT MOD', CODES.languageOfContent, CODES.english),
      ...observerContext(),
      textItem('HAS OBS CONTEXT', CODES.subject, first.subject),
      codeItem('HAS CONCEPT MOD', CODES.algorithmFamily, CODES.artificialIntelligence),
      textItem('HAS CONCEPT MOD', CODES.algorithmName, first.model),
      textItem('HAS CONCEPT MOD', CODES.algorithmVersion, first.version),
      textItem('HAS CONCEPT MOD', CODES.executionProvider, first.provider),
      textItem('HAS CONCEPT MOD', CODES.intendedUse, RESEARCH_USE_ONLY),
      ...visits,
    ],
    evidence: [],
    patientStudy,
    seriesDescription: `Lumen progression ${first.model} (research use only)`,
    ...(now ? { now } : {}),
  });
}

export function isProgressionReport(ds: NaturalDataset): boolean {
  return sameCode(conceptOf(ds), CODES.progressionReport);
}

/** The predictions of a Lumen progression SR. */
export function readProgressionReport(ds: NaturalDataset): ProgressionPrediction[] {
  if (!isProgressionReport(ds)) throw new LumenError('SR_NOT_PROGRESSION', 'This SR is not a Lumen progression report.');
  const text = (c: typeof CODES.subject) => String(childWith(ds, c)?.TextValue ?? '');
  const value = (item: NaturalDataset, c: typeof CODES.visit) => {
    const found = childWith(item, c);
    return found ? (numericValue(found)?.value ?? NaN) : NaN;
  };
  return childrenWith(ds, CODES.visit).map((visit) => ({
    subject: text(CODES.subject),
    visit: value(visit, CODES.visitNumber),
    horizonDays: value(visit, CODES.horizon),
    risk: value(visit, CODES.risk),
    attention: children(visit)
      .filter((c) => sameCode(conceptOf(c), CODES.attentionWeight))
      .map((c) => numericValue(c)?.value ?? NaN),
    model: text(CODES.algorithmName),
    version: text(CODES.algorithmVersion),
    provider: text(CODES.executionProvider),
  }));
}
