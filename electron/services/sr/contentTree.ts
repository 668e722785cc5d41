import type { NaturalDataset } from '../dicom/types';
import type { Code } from './codes';
import { sameCode } from './codes';

/**
 * Reading SR content items (PS3.3 C.17.3) as dcmjs naturalises them: a sequence of one item may come
 * back as an object rather than an array, so every accessor accepts both.
 */
export function items(value: unknown): NaturalDataset[] {
  if (Array.isArray(value)) return value.filter((v): v is NaturalDataset => !!v && typeof v === 'object');
  return value && typeof value === 'object' ? [value as NaturalDataset] : [];
}

export function children(item: NaturalDataset): NaturalDataset[] {
  return items(item.ContentSequence);
}

export function codeOf(seq: unknown): Code | undefined {
  const c = items(seq)[0];
  if (!c) return undefined;
  return { value: String(c.CodeValue ?? c.LongCodeValue ?? c.URNCodeValue ?? ''), scheme: String(c.CodingSchemeDesignator ?? ''), meaning: String(c.CodeMeaning ?? '') };
}

export const conceptOf = (item: NaturalDataset) => codeOf(item.ConceptNameCodeSequence);

export const valueType = (item: NaturalDataset) => String(item.ValueType ?? '');

export function childWith(item: NaturalDataset, concept: Code): NaturalDataset | undefined {
  return children(item).find((c) => sameCode(conceptOf(c), concept));
}

export function childrenWith(item: NaturalDataset, concept: Code): NaturalDataset[] {
  return children(item).filter((c) => sameCode(conceptOf(c), concept));
}

/** A NUM item's value: the exact Floating Point Value when present, else the Decimal String. */
export function numericValue(item: NaturalDataset): { value: number; unit: Code | undefined } | undefined {
  const measured = items(item.MeasuredValueSequence)[0];
  if (!measured) return undefined;
  const exact = Array.isArray(measured.FloatingPointValue) ? measured.FloatingPointValue[0] : measured.FloatingPointValue;
  const ds = Array.isArray(measured.NumericValue) ? measured.NumericValue[0] : measured.NumericValue;
  const value = Number(exact ?? ds);
  return Number.isFinite(value) ? { value, unit: codeOf(measured.MeasurementUnitsCodeSequence) } : undefined;
}

export function firstValue(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/** An IMAGE item's (or SCOORD's SELECTED FROM) reference: instance, class and frame. */
export function imageReference(item: NaturalDataset): { sopClassUid: string; sopInstanceUid: string; frameNumber: number | null } | undefined {
  const ref = items(item.ReferencedSOPSequence)[0];
  if (!ref) return undefined;
  const frame = Number(firstValue(ref.ReferencedFrameNumber));
  return {
    sopClassUid: String(ref.ReferencedSOPClassUID ?? ''),
    sopInstanceUid: String(ref.ReferencedSOPInstanceUID ?? ''),
    frameNumber: Number.isInteger(frame) && frame > 0 ? frame : null,
  };
}

/** Depth-first search for the first item matching a predicate, the item itself included. */
export function findItem(item: NaturalDataset, predicate: (i: NaturalDataset) => boolean): NaturalDataset | undefined {
  if (predicate(item)) return item;
  for (const c of children(item)) {
    const found = findItem(c, predicate);
    if (found) return found;
  }
  return undefined;
}
