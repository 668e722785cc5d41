import type { NaturalDataset } from '../dicom/types';
import type { Code } from './codes';

/**
 * SR content items (PS3.3 C.17.3, Document Content Macro) as natural data sets, one builder per value
 * type. Readers get the same shapes back from dcmjs, so writing and reading share these names.
 */
export type RelationshipType = 'CONTAINS' | 'HAS OBS CONTEXT' | 'HAS CONCEPT MOD' | 'HAS PROPERTIES' | 'INFERRED FROM' | 'SELECTED FROM';

export interface ImageReference {
  sopClassUid: string;
  sopInstanceUid: string;
  /** 1-based Referenced Frame Number; only for multi-frame instances. */
  frameNumber?: number | null;
}

export function codeSequence(c: Code): NaturalDataset[] {
  return [{ CodeValue: c.value, CodingSchemeDesignator: c.scheme, CodeMeaning: c.meaning }];
}

/**
 * A Decimal String value (PS3.5 6.2: at most 16 characters): the shortest form that fits. Exact
 * values travel beside it in Floating Point Value (FD) where the NUM item allows it.
 */
export function decimalString(v: number): string {
  const plain = String(v);
  if (plain.length <= 16) return plain;
  for (let digits = 15; digits > 0; digits--) {
    const s = Number(v.toPrecision(digits)).toString();
    if (s.length <= 16) return s;
    const e = v.toExponential(Math.max(0, digits - 1)).replace('e+', 'e');
    if (e.length <= 16) return e;
  }
  return '0';
}

function item(relationship: RelationshipType, valueType: string, name: Code | null, rest: NaturalDataset, children: NaturalDataset[] = []): NaturalDataset {
  return {
    RelationshipType: relationship,
    ValueType: valueType,
    ...(name ? { ConceptNameCodeSequence: codeSequence(name) } : {}),
    ...rest,
    ...(children.length > 0 ? { ContentSequence: children } : {}),
  };
}

export function containerItem(relationship: RelationshipType, name: Code, children: NaturalDataset[], templateId?: string): NaturalDataset {
  return item(relationship, 'CONTAINER', name, {
    ContinuityOfContent: 'SEPARATE',
    ...(templateId ? { ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: templateId }] } : {}),
  }, children);
}

export function codeItem(relationship: RelationshipType, name: Code, value: Code, children: NaturalDataset[] = []): NaturalDataset {
  return item(relationship, 'CODE', name, { ConceptCodeSequence: codeSequence(value) }, children);
}

export function textItem(relationship: RelationshipType, name: Code, text: string): NaturalDataset {
  return item(relationship, 'TEXT', name, { TextValue: text });
}

export function uidItem(relationship: RelationshipType, name: Code, uid: string): NaturalDataset {
  return item(relationship, 'UIDREF', name, { UID: uid });
}

/** A NUM item: DS for every reader, and the exact double in Floating Point Value (PS3.3 C.18.1). */
export function numItem(relationship: RelationshipType, name: Code, value: number, unit: Code, children: NaturalDataset[] = []): NaturalDataset {
  const ds = decimalString(value);
  return item(relationship, 'NUM', name, {
    MeasuredValueSequence: [
      {
        MeasurementUnitsCodeSequence: codeSequence(unit),
        NumericValue: ds,
        ...(Number(ds) !== value ? { FloatingPointValue: value } : {}),
      },
    ],
  }, children);
}

export function referencedSop(ref: ImageReference): NaturalDataset {
  return {
    ReferencedSOPClassUID: ref.sopClassUid,
    ReferencedSOPInstanceUID: ref.sopInstanceUid,
    ...(ref.frameNumber ? { ReferencedFrameNumber: String(ref.frameNumber) } : {}),
  };
}

export function imageItem(relationship: RelationshipType, ref: ImageReference, name: Code | null = null): NaturalDataset {
  return item(relationship, 'IMAGE', name, { ReferencedSOPSequence: [referencedSop(ref)] });
}

/** Image coordinates (TID 320): column\row pairs, (0,0) the top left corner of the top left pixel (PS3.3 C.18.6.1.1). */
export function scoordItem(relationship: RelationshipType, graphicType: 'POINT' | 'POLYLINE' | 'ELLIPSE', points: readonly (readonly [number, number])[], ref: ImageReference): NaturalDataset {
  return item(relationship, 'SCOORD', null, { GraphicType: graphicType, GraphicData: points.flatMap((p) => [p[0], p[1]]) }, [
    imageItem('SELECTED FROM', ref),
  ]);
}
