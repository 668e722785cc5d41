import type { NaturalDataset } from '../dicom/types';
import { measureRangeProblem } from '../../../shared/domain/measureRange';
import type { FeatureSpec } from './buildVisitSequence';

/** A numeric SR content item whose concept matches a model feature. */
export interface SrMeasure {
  feature: string;
  value: number;
  /** The item's Measurement Units Code Value (UCUM), for the log and the tests. */
  unit: string;
}

const first = (value: unknown): NaturalDataset | undefined => (Array.isArray(value) ? (value[0] as NaturalDataset | undefined) : undefined);
const fold = (s: string) => s.trim().toLowerCase();

/**
 * The NUM content items (PS3.3 C.17.3.2.1, value in Measured Value Sequence C.18.1) anywhere in an
 * SR's content tree whose Concept Name's Code Meaning equals a feature's name or CSV column (case
 * insensitive: "MMSE", "CDR", "nWBV"). The manifest carries no coded concepts, so the meaning is the
 * only link; units are not converted, so an SR must record the unit the manifest declares. The first
 * item per feature wins; values outside the feature's range (or not finite) are skipped, so the visit
 * shows the measure as missing rather than feeding the model a value it must not read.
 */
export function srMeasures(dataset: NaturalDataset, features: readonly FeatureSpec[]): SrMeasure[] {
  const byMeaning = new Map<string, FeatureSpec>();
  for (const f of features) {
    byMeaning.set(fold(f.name), f);
    byMeaning.set(fold(f.column), f);
  }
  const found = new Map<string, SrMeasure>();
  const visit = (items: unknown) => {
    if (!Array.isArray(items)) return;
    for (const item of items as NaturalDataset[]) {
      if (item.ValueType === 'NUM') {
        const meaning = first(item.ConceptNameCodeSequence)?.CodeMeaning;
        const measured = first(item.MeasuredValueSequence);
        const feature = typeof meaning === 'string' ? byMeaning.get(fold(meaning)) : undefined;
        const value = Number(measured?.NumericValue);
        if (feature && measured && measureRangeProblem(feature, value) === null && !found.has(feature.name)) {
          const unit = first(measured.MeasurementUnitsCodeSequence)?.CodeValue;
          found.set(feature.name, { feature: feature.name, value, unit: typeof unit === 'string' ? unit : '' });
        }
      }
      visit(item.ContentSequence);
    }
  };
  visit(dataset.ContentSequence);
  return [...found.values()];
}
