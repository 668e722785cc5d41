import { calibrationNoteOf, indexToPatient, measurementPlane } from '../../../shared/domain/geometry/framePlane';
import type { Vec3 } from '../../../shared/domain/geometry/vector3';
import type { Measurement, MeasurementKind } from '../../../shared/domain/measurement';
import type { NaturalDataset } from '../dicom/types';
import { CODES, sameCode, unitName, type Code } from './codes';
import { children, codeOf, conceptOf, findItem, firstValue, imageReference, items, numericValue, valueType } from './contentTree';
import { frameKey, type FrameImage } from './frameImages';
import { CORNERSTONE_3D_TAG, TOOL_OF_KIND } from './measurementReport';

/** One measurement of a TID 1500 report, in the terms of the image it was made on. */
export interface ReportedMeasurement {
  trackingIdentifier: string;
  trackingUid: string | null;
  /** Lumen's measurement id, when Lumen wrote the report. */
  lumenId: string | null;
  label: string;
  kind: MeasurementKind;
  image: { sopClassUid: string; sopInstanceUid: string; frameNumber: number | null };
  /** SR image coordinates (column, row), (0,0) the top left corner of the image (PS3.3 C.18.6.1.1). */
  graphicType: string;
  coordinates: [number, number][];
  values: Record<string, number>;
  /** Modality units of the intensity values, when the report has any. */
  units: string | null;
  /** The exact patient points (mm, LPS) when Lumen wrote the report; null otherwise. */
  patientPoints: Vec3[] | null;
}

export interface MeasurementReportContent {
  measurements: ReportedMeasurement[];
  /** Groups Lumen cannot show (a freehand outline, a 3D coordinate): why, per tracking identifier. */
  skipped: { trackingIdentifier: string; reason: string }[];
}

const VALUE_KEYS: [Code, string][] = [
  [CODES.length, 'lengthMm'],
  [CODES.angle, 'angleDeg'],
  [CODES.area, 'areaMm2'],
  [CODES.mean, 'mean'],
  [CODES.standardDeviation, 'sd'],
  [CODES.minimum, 'min'],
  [CODES.maximum, 'max'],
  [CODES.numberOfPixels, 'pixels'],
];

const isMeasurementReport = (ds: NaturalDataset) => sameCode(codeOf(ds.ConceptNameCodeSequence), CODES.imagingMeasurementReport);

export function isTid1500(ds: NaturalDataset): boolean {
  return String(firstValue(items(ds.ContentTemplateSequence)[0]?.TemplateIdentifier) ?? '') === '1500' || isMeasurementReport(ds);
}

function pairs(data: unknown): [number, number][] {
  const flat = (Array.isArray(data) ? data : [data]).map(Number);
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

/** The kind of measurement a region's shape is, or why Lumen has none for it. */
function kindOf(graphicType: string, points: [number, number][]): MeasurementKind | string {
  const closed = points.length > 2 && points[0]![0] === points.at(-1)![0] && points[0]![1] === points.at(-1)![1];
  switch (graphicType) {
    case 'POINT':
      return 'probe';
    case 'ELLIPSE':
    case 'CIRCLE':
      return 'ellipse';
    case 'POLYLINE':
      if (points.length === 2) return 'length';
      if (points.length === 3 && !closed) return 'angle';
      if ((points.length === 5 && closed) || points.length === 4) {
        const [a, b, c, d] = points as [[number, number], [number, number], [number, number], [number, number]];
        const axisAligned = a[1] === b[1] && b[0] === c[0] && c[1] === d[1] && d[0] === a[0];
        if (axisAligned) return 'rectangle';
      }
      return 'an outline Lumen has no tool for';
    default:
      return `a ${graphicType || 'missing'} region`;
  }
}

/**
 * The measurements of a TID 1500 Measurement Report, Lumen's or another viewer's (OHIF's Cornerstone3D
 * adapter writes each value as a NUM with its region INFERRED FROM it; TID 1410 groups carry the region
 * as Image Region): Measurement Groups under Imaging Measurements (PS3.16 TID 1500, 1501, 1410, 300).
 */
export function readMeasurementReport(ds: NaturalDataset): MeasurementReportContent {
  const out: MeasurementReportContent = { measurements: [], skipped: [] };
  const imaging = children(ds).find((c) => sameCode(conceptOf(c), CODES.imagingMeasurements));
  for (const group of imaging ? children(imaging).filter((c) => sameCode(conceptOf(c), CODES.measurementGroup)) : []) {
    const content = children(group);
    const text = (concept: Code) => content.find((c) => sameCode(conceptOf(c), concept));
    const trackingIdentifier = String(text(CODES.trackingIdentifier)?.TextValue ?? '');
    const trackingUid = (text(CODES.trackingUniqueIdentifier)?.UID as string | undefined) ?? null;
    const finding = codeOf(text(CODES.finding)?.ConceptCodeSequence);
    const label = finding && (finding.value === 'CS3DTEXT' || finding.value === 'CORNERSTONEFREETEXT') ? finding.meaning : (finding?.meaning ?? '');
    const region = findItem(group, (i) => valueType(i) === 'SCOORD' || valueType(i) === 'SCOORD3D');
    if (!region || valueType(region) !== 'SCOORD') {
      out.skipped.push({ trackingIdentifier, reason: region ? 'a 3D region (SCOORD3D)' : 'no image region' });
      continue;
    }
    const imageItem = children(region).find((c) => valueType(c) === 'IMAGE');
    const image = imageItem ? imageReference(imageItem) : undefined;
    if (!image) {
      out.skipped.push({ trackingIdentifier, reason: 'no referenced image' });
      continue;
    }
    const values: Record<string, number> = {};
    let units: string | null = null;
    for (const num of content.filter((c) => valueType(c) === 'NUM')) {
      const concept = conceptOf(num);
      const measured = numericValue(num);
      if (!concept || !measured) continue;
      const key = VALUE_KEYS.find(([c]) => sameCode(concept, c))?.[1];
      if (key) values[key] = measured.value;
      if (key === 'mean' && measured.unit) units = unitName(measured.unit);
    }
    const graphicType = String(region.GraphicType ?? '');
    const coordinates = pairs(region.GraphicData);
    const kind = kindOf(graphicType, coordinates);
    if (!(kind in TOOL_OF_KIND)) {
      out.skipped.push({ trackingIdentifier, reason: kind });
      continue;
    }
    if (kind === 'probe') {
      // A probe's value is the Mean of its one-pixel region (OHIF's carries only a Center, no value).
      if (values.mean !== undefined) values.value = values.mean;
      delete values.mean;
      values.column = Math.round(coordinates[0]![0] - 0.5);
      values.row = Math.round(coordinates[0]![1] - 0.5);
    }
    const pointsItem = content.find((c) => valueType(c) === 'TEXT' && sameCode(conceptOf(c), CODES.patientPoints));
    const patientPoints = parsePatientPoints(pointsItem?.TextValue);
    const parts = trackingIdentifier.split(':');
    const lumenId = parts[0] === CORNERSTONE_3D_TAG && parts.length >= 3 ? parts.slice(2).join(':') : null;
    out.measurements.push({ trackingIdentifier, trackingUid, lumenId, label, kind: kind as MeasurementKind, image, graphicType, coordinates, values, units, patientPoints });
  }
  return out;
}

/** The two defining corners (SR image coordinates) of an ellipse given by axis end points or a circle. */
function ellipseCorners(graphicType: string, c: [number, number][]): [[number, number], [number, number]] {
  if (graphicType === 'CIRCLE') {
    const r = Math.hypot(c[1]![0] - c[0]![0], c[1]![1] - c[0]![1]);
    return [[c[0]![0] - r, c[0]![1] - r], [c[0]![0] + r, c[0]![1] + r]];
  }
  // Lumen writes a horizontal and a vertical pair, each from the first corner's side; another viewer's
  // rotated ellipse is taken by its bounding box.
  const horizontal = c[0]![1] === c[1]![1] ? [c[0]!, c[1]!] : [c[2]!, c[3]!];
  const vertical = c[0]![1] === c[1]![1] ? [c[2]!, c[3]!] : [c[0]!, c[1]!];
  if (horizontal[0]![1] === horizontal[1]![1] && vertical[0]![0] === vertical[1]![0]) {
    return [[horizontal[0]![0], vertical[0]![1]], [horizontal[1]![0], vertical[1]![1]]];
  }
  const xs = c.map((p) => p[0]);
  const ys = c.map((p) => p[1]);
  return [[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]];
}

/** SR image coordinates of a reported measurement as the viewer's points (before the patient mapping). */
function definingPoints(m: ReportedMeasurement): [number, number][] {
  switch (m.kind) {
    case 'rectangle':
      return [m.coordinates[0]!, m.coordinates[2]!];
    case 'ellipse':
      return ellipseCorners(m.graphicType, m.coordinates);
    default:
      return m.coordinates;
  }
}

/**
 * A reported measurement as the viewer's Measurement on the frame that shows its image: points back in
 * patient space through the frame's plane, units and calibration as the viewer states them for that
 * series. Undefined when the image is not in the given frames (not in the library).
 */
export function toViewerMeasurement(m: ReportedMeasurement, frames: ReadonlyMap<string, FrameImage>): Measurement | undefined {
  const image = frames.get(frameKey(m.image.sopInstanceUid, m.image.frameNumber));
  if (!image) return undefined;
  const fromScoord = definingPoints(m).map(([x, y]) => indexToPatient(image.plane, x - 0.5, y - 0.5) as Vec3);
  // Lumen's exact points, unless the SCOORD (what every other viewer reads) says otherwise.
  const exact = m.patientPoints;
  const agrees = exact !== null && exact.length === fromScoord.length && exact.every((p, i) => Math.hypot(p[0] - fromScoord[i]![0], p[1] - fromScoord[i]![1], p[2] - fromScoord[i]![2]) < 0.01);
  const points = agrees ? exact : fromScoord;
  const values = { ...m.values };
  // A probe outside the image has no pixel (the viewer stores no values for it).
  if (m.kind === 'probe' && !(values.column! >= 0 && values.row! >= 0 && values.column! < image.view.columns && values.row! < image.view.rows)) {
    delete values.column;
    delete values.row;
  }
  return {
    id: (m.lumenId ?? `sr-${m.trackingUid ?? image.sopInstanceUid}`).slice(0, 64),
    kind: m.kind,
    seriesInstanceUid: image.seriesInstanceUid,
    frame: image.frame,
    image: { sopInstanceUid: image.sopInstanceUid, frameNumber: image.frameNumber ?? 1 },
    points,
    label: m.label.slice(0, 256),
    values,
    units: image.view.units,
    ...calibrationNoteOf(measurementPlane(image.plane, image.view, points), image.view),
  };
}

/** The JSON of the patient-points TEXT item: 1 to 3 points of 3 finite numbers, or null. */
function parsePatientPoints(text: unknown): Vec3[] | null {
  if (typeof text !== 'string') return null;
  try {
    const value: unknown = JSON.parse(text);
    const ok = Array.isArray(value) && value.length >= 1 && value.length <= 3 && value.every((p) => Array.isArray(p) && p.length === 3 && p.every((n) => typeof n === 'number' && Number.isFinite(n)));
    return ok ? (value as Vec3[]) : null;
  } catch {
    return null;
  }
}
