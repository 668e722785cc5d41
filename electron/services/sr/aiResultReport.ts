import { AiAnalysisSchema, type AiAnalysis } from '../../../shared/domain/aiResult';
import { LumenError } from '../../../shared/domain/errors';
import { newUid } from '../dicom/uid';
import type { NaturalDataset } from '../dicom/types';
import { CODES, UNITS, sameCode, type Code } from './codes';
import { childWith, childrenWith, children, codeOf, conceptOf, imageReference, numericValue, valueType } from './contentTree';
import { codeItem, containerItem, imageItem, numItem, textItem, uidItem } from './contentItems';
import { observerContext } from './observerContext';
import type { SourceImage } from './sourceImage';
import { writeSrDocument, type WrittenObject } from './srDocument';

export const RESEARCH_USE_ONLY = 'Research use only. Not for diagnostic use.';

/** A model's output label as a code of Lumen's scheme (Code Value is SH: 16 characters, so a digest). */
function labelCode(label: string): Code {
  let h = 0;
  for (const ch of label) h = (Math.imul(h, 31) + ch.codePointAt(0)!) >>> 0;
  return { value: `L${h.toString(16).toUpperCase()}`, scheme: '99LUMEN', meaning: label.slice(0, 64) };
}

/**
 * One AI analysis of one image as a TID 1500 Measurement Report: a Measurement Group (TID 1501) with the
 * finding, each label's probability (NUM), the threshold, the prediction, the out-of-distribution verdict,
 * the model (TID 4019 Algorithm Identification) and provider, "research use only", the source image as
 * Source of Measurement, and the activation map's grid so that Lumen restores the analysis exactly (the
 * Parametric Map carries it for other viewers, upsampled to the image).
 */
export function writeAiResultReport(analysis: AiAnalysis, source: SourceImage, options: { positiveLabel?: string; now?: Date } = {}): WrittenObject {
  const finding = options.positiveLabel ?? analysis.prediction;
  const ref = { sopClassUid: source.sopClassUid, sopInstanceUid: source.sopInstanceUid, frameNumber: source.numberOfFrames > 1 ? 1 : null };
  const group = [
    textItem('HAS OBS CONTEXT', CODES.trackingIdentifier, `Lumen AI ${analysis.model} ${analysis.version}`.slice(0, 64)),
    uidItem('HAS OBS CONTEXT', CODES.trackingUniqueIdentifier, newUid()),
    codeItem('HAS CONCEPT MOD', CODES.algorithmFamily, CODES.artificialIntelligence),
    textItem('HAS CONCEPT MOD', CODES.algorithmName, analysis.model),
    textItem('HAS CONCEPT MOD', CODES.algorithmVersion, analysis.version),
    textItem('HAS CONCEPT MOD', CODES.executionProvider, analysis.provider),
    ...analysis.fallbacks.map((f) => textItem('HAS CONCEPT MOD', CODES.providerFallback, `${f.provider}: ${f.reason}`)),
    textItem('HAS CONCEPT MOD', CODES.intendedUse, RESEARCH_USE_ONLY),
    codeItem('CONTAINS', CODES.finding, labelCode(finding)),
    imageItem('CONTAINS', ref, CODES.sourceOfMeasurement),
    ...Object.entries(analysis.probabilities).map(([label, p]) =>
      numItem('CONTAINS', CODES.probability, p, UNITS.probability!, [codeItem('HAS CONCEPT MOD', CODES.label, labelCode(label))]),
    ),
    numItem('CONTAINS', CODES.threshold, analysis.threshold, UNITS.probability!),
    codeItem('CONTAINS', CODES.prediction, labelCode(analysis.prediction)),
    ...(analysis.ood
      ? [numItem('CONTAINS', CODES.oodScore, analysis.ood.score, UNITS.none!), codeItem('CONTAINS', CODES.oodVerdict, analysis.ood.outside ? CODES.yes : CODES.no)]
      : []),
    numItem('CONTAINS', CODES.analysisTime, analysis.ms, UNITS.ms!),
    numItem('CONTAINS', CODES.inferenceTime, analysis.inferenceMs, UNITS.ms!),
    textItem('CONTAINS', CODES.activationMapGrid, JSON.stringify({ frame: analysis.frame, heatmap: analysis.heatmap })),
  ];
  const content = [
    codeItem('HAS CONCEPT MOD', CODES.languageOfContent, CODES.english),
    ...observerContext(),
    codeItem('HAS CONCEPT MOD', CODES.procedureReported, CODES.imagingProcedure),
    containerItem('CONTAINS', CODES.imageLibrary, [containerItem('CONTAINS', CODES.imageLibraryGroup, [imageItem('CONTAINS', ref)])]),
    containerItem('CONTAINS', CODES.imagingMeasurements, [containerItem('CONTAINS', CODES.measurementGroup, group, '1501')]),
  ];
  return writeSrDocument({
    title: CODES.imagingMeasurementReport,
    templateId: '1500',
    content,
    evidence: [{ ...ref, studyInstanceUid: source.studyInstanceUid, seriesInstanceUid: source.seriesInstanceUid }],
    patientStudy: source.patientStudy,
    seriesDescription: `Lumen AI ${analysis.model} (research use only)`,
    ...(options.now ? { now: options.now } : {}),
  });
}

/** The AI measurement group of a report, when the report is a Lumen AI result. */
function aiGroup(ds: NaturalDataset): NaturalDataset | undefined {
  const imaging = childWith(ds, CODES.imagingMeasurements);
  return imaging ? childrenWith(imaging, CODES.measurementGroup).find((g) => childWith(g, CODES.algorithmName) && childWith(g, CODES.probability)) : undefined;
}

export function isAiResultReport(ds: NaturalDataset): boolean {
  return !!aiGroup(ds);
}

/** A Lumen AI report back to the analysis (without its local file path) and the image it analysed. */
export function readAiResultReport(ds: NaturalDataset): { analysis: Omit<AiAnalysis, 'path'>; source: { sopClassUid: string; sopInstanceUid: string; frameNumber: number | null } } {
  const group = aiGroup(ds);
  const sourceItem = group && childWith(group, CODES.sourceOfMeasurement);
  const source = sourceItem && imageReference(sourceItem);
  if (!group || !source) throw new LumenError('SR_NOT_AI_RESULT', 'This SR is not a Lumen AI result.');
  const text = (c: Code) => String(childWith(group, c)?.TextValue ?? '');
  const num = (c: Code) => {
    const item = childWith(group, c);
    return item ? numericValue(item)?.value : undefined;
  };
  const probabilities: Record<string, number> = {};
  for (const item of childrenWith(group, CODES.probability)) {
    const label = childWith(item, CODES.label);
    const value = numericValue(item)?.value;
    if (label && value !== undefined) probabilities[codeOf(label.ConceptCodeSequence)?.meaning ?? ''] = value;
  }
  const oodScore = num(CODES.oodScore);
  const verdict = codeOf(childWith(group, CODES.oodVerdict)?.ConceptCodeSequence);
  const fallbacks = children(group)
    .filter((c) => valueType(c) === 'TEXT' && sameCode(conceptOf(c), CODES.providerFallback))
    .map((c) => {
      const [provider, ...reason] = String(c.TextValue ?? '').split(': ');
      return { provider: provider ?? '', reason: reason.join(': ') };
    });
  let grid: { frame?: unknown; heatmap?: unknown } = {};
  try {
    grid = JSON.parse(text(CODES.activationMapGrid)) as typeof grid;
  } catch {
    // absent or damaged: the schema below refuses the result
  }
  const parsed = AiAnalysisSchema.omit({ path: true }).safeParse({
    model: text(CODES.algorithmName),
    version: text(CODES.algorithmVersion),
    provider: text(CODES.executionProvider),
    probabilities,
    prediction: codeOf(childWith(group, CODES.prediction)?.ConceptCodeSequence)?.meaning ?? '',
    threshold: num(CODES.threshold),
    ood: oodScore === undefined ? null : { score: oodScore, outside: sameCode(verdict, CODES.yes) },
    ms: num(CODES.analysisTime),
    heatmap: grid.heatmap,
    frame: grid.frame,
    inferenceMs: num(CODES.inferenceTime),
    fallbacks,
  });
  if (!parsed.success) throw new LumenError('SR_NOT_AI_RESULT', 'This SR does not hold a complete Lumen AI result.');
  return { analysis: parsed.data, source };
}
