import { z } from 'zod';
import { ValueRangeSchema } from './measureRange';

/**
 * A patient's visits as the progression panel shows them: each measure with where it came from, the
 * library studies on the same time axis, and the predictions of a progression model over those visits.
 */

/** Where one value came from: a CSV row, a DICOM SR numeric item (PS3.3 C.18.1 NUM), or the form. */
export const MeasureProvenanceSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('csv'), file: z.string(), line: z.number().int().positive() }),
  z.object({ source: z.literal('sr'), sopInstanceUid: z.string() }),
  z.object({ source: z.literal('form'), at: z.string(), user: z.string() }),
]);
export type MeasureProvenance = z.infer<typeof MeasureProvenanceSchema>;

export const VisitMeasureSchema = z.object({
  /** The manifest feature name. */
  feature: z.string(),
  /** In the manifest's unit; categorical features hold their code (e.g. 1 = M). */
  value: z.number(),
  provenance: MeasureProvenanceSchema,
});
export type VisitMeasure = z.infer<typeof VisitMeasureSchema>;

export const TimelineStudySchema = z.object({
  studyInstanceUid: z.string(),
  description: z.string(),
  modalities: z.array(z.string()),
});

export const TimelineVisitSchema = z.object({
  /** The stored visit that holds measures; null for a library study without any. */
  visitId: z.number().int().nullable(),
  /** DICOM DA (YYYYMMDD) when the visit has a calendar date. */
  date: z.string().nullable(),
  /** Days since the patient's first visit on this timeline's axis. */
  day: z.number(),
  visitNumber: z.number().int().nullable(),
  studies: z.array(TimelineStudySchema),
  measures: z.array(VisitMeasureSchema),
  /** Required features of the model without a value at this visit: the model does not use the visit. */
  missingRequired: z.array(z.string()),
  /** Optional features without a value: masked, as in training. */
  missingOptional: z.array(z.string()),
});
export type TimelineVisit = z.infer<typeof TimelineVisitSchema>;

export const TimelineFeatureSchema = z.object({
  name: z.string(),
  column: z.string(),
  unit: z.string(),
  required: z.boolean(),
  /** Text codes of a categorical feature (M -> 1). */
  codes: z.record(z.string(), z.number()).optional(),
  /** Valid values, inclusive, from the manifest. */
  range: ValueRangeSchema.optional(),
});

export const PatientTimelineSchema = z.object({
  patientId: z.string(),
  modelId: z.string(),
  features: z.array(TimelineFeatureSchema),
  visits: z.array(TimelineVisitSchema),
  /** Set when relative (CSV) and dated visits share the axis, which assumes both count from the first visit. */
  axisNote: z.string().nullable(),
});
export type PatientTimeline = z.infer<typeof PatientTimelineSchema>;

export const RiskPointSchema = z.object({
  /** The visit k the prediction is made at (a visitId of the timeline). */
  visitId: z.number().int(),
  day: z.number(),
  horizonDays: z.number(),
  risk: z.number(),
  /** Attention weights over the visits the model used up to k (visitIds in `attentionVisitIds`). */
  attention: z.array(z.number()),
  attentionVisitIds: z.array(z.number().int()),
});
export type RiskPoint = z.infer<typeof RiskPointSchema>;

export const ProgressionRunSchema = z.object({
  patientId: z.string(),
  model: z.string(),
  version: z.string(),
  provider: z.string(),
  /** The chosen horizon, or null: each visit's interval to the next one (as the model was trained). */
  horizonDays: z.number().nullable(),
  threshold: z.number(),
  points: z.array(RiskPointSchema),
  /** Visits with measures the model could not use, and the required measures each lacks. */
  excluded: z.array(z.object({ visitId: z.number().int(), day: z.number(), missing: z.array(z.string()) })),
  /** Why there is no prediction at all (fewer usable visits than needed), or null. */
  note: z.string().nullable(),
  disclaimer: z.string(),
});
export type ProgressionRun = z.infer<typeof ProgressionRunSchema>;

/** Which visit a form save writes to: an existing one, a library study's date, or a new date or day. */
export const VisitTargetSchema = z.union([
  z.object({ visitId: z.number().int().positive() }).strict(),
  z.object({ studyInstanceUid: z.string().min(1).max(64) }).strict(),
  z.object({ date: z.string().regex(/^\d{8}$/, 'dates are YYYYMMDD') }).strict(),
  z.object({ day: z.number().int().min(0).max(100_000) }).strict(),
]);
export type VisitTarget = z.infer<typeof VisitTargetSchema>;

/** A user's mapping of CSV columns to what the model asks for; absent entries use the manifest's columns. */
export const CsvMappingSchema = z
  .object({
    subjectColumn: z.string().min(1).max(128).optional(),
    dayColumn: z.string().min(1).max(128).optional(),
    visitColumn: z.string().min(1).max(128).optional(),
    dateColumn: z.string().min(1).max(128).optional(),
    features: z.record(z.string().max(64), z.string().min(1).max(128)).optional(),
  })
  .strict();
export type CsvMapping = z.infer<typeof CsvMappingSchema>;

export const CsvImportSummarySchema = z.object({
  file: z.string(),
  rows: z.number().int(),
  valuesStored: z.number().int(),
  patients: z.array(z.object({ patientId: z.string(), visits: z.number().int(), inLibrary: z.boolean() })),
  /** Rows or cells that could not be used, by line: never silently dropped. */
  problems: z.array(z.object({ line: z.number().int(), message: z.string() })),
});
export type CsvImportSummary = z.infer<typeof CsvImportSummarySchema>;

export const ProgressionPatientSchema = z.object({
  patientId: z.string(),
  visitsWithMeasures: z.number().int(),
  studies: z.number().int(),
});
