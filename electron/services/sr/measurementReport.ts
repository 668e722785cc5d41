import { patientToIndex } from '../../../shared/domain/geometry/framePlane';
import { measurementFrame, type Measurement, type MeasurementKind } from '../../../shared/domain/measurement';
import { LumenError } from '../../../shared/domain/errors';
import { newUid } from '../dicom/uid';
import type { NaturalDataset } from '../dicom/types';
import { CODES, UNITS, unitCode, type Code } from './codes';
import { codeItem, containerItem, imageItem, numItem, scoordItem, textItem, uidItem, type ImageReference } from './contentItems';
import { frameKey, type FrameImage } from './frameImages';
import { observerContext } from './observerContext';
import { writeSrDocument, type WrittenObject } from './srDocument';

/**
 * Tracking identifiers as OHIF's Cornerstone3D adapter writes them ("<tag>:<tool>"), so OHIF shows our
 * measurements with its own tools; Lumen's measurement id follows as a third part, which OHIF ignores
 * (it reads the first two) and Lumen reads back so a re-imported measurement keeps its identity.
 */
export const CORNERSTONE_3D_TAG = 'Cornerstone3DTools@^0.1.0';
export const TOOL_OF_KIND: Record<MeasurementKind, string> = { length: 'Length', angle: 'Angle', rectangle: 'RectangleROI', ellipse: 'EllipticalROI', probe: 'Probe' };

type Point2 = readonly [number, number];

/**
 * SR image coordinates of a measurement's points. The viewer's pixel index has pixel centres at
 * integers; SR puts (0,0) at the top left corner of the top left pixel (PS3.3 C.18.6.1.1), hence +0.5.
 * Rectangles become closed polylines from the first corner; ellipses their axis end points (PS3.3
 * C.18.6.1.2), horizontal then vertical pair, each from the first point's side, so the two defining
 * corners can be read back.
 */
export function graphicOf(m: Measurement, image: FrameImage): { type: 'POINT' | 'POLYLINE' | 'ELLIPSE'; points: Point2[] } {
  const px = m.points.map((p) => {
    const [i, j] = patientToIndex(image.plane, p);
    return [i + 0.5, j + 0.5] as Point2;
  });
  switch (m.kind) {
    case 'probe':
      return { type: 'POINT', points: [px[0]!] };
    case 'length':
    case 'angle':
      return { type: 'POLYLINE', points: px };
    case 'rectangle': {
      const [[x0, y0], [x1, y1]] = [px[0]!, px[1]!];
      return { type: 'POLYLINE', points: [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]] };
    }
    case 'ellipse': {
      const [[x0, y0], [x1, y1]] = [px[0]!, px[1]!];
      const cx = (x0 + x1) / 2;
      const cy = (y0 + y1) / 2;
      const horizontal: Point2[] = [[x0, cy], [x1, cy]];
      const vertical: Point2[] = [[cx, y0], [cx, y1]];
      // The major axis comes first (PS3.3 C.18.6.1.2).
      return { type: 'ELLIPSE', points: Math.abs(x1 - x0) >= Math.abs(y1 - y0) ? [...horizontal, ...vertical] : [...vertical, ...horizontal] };
    }
  }
}

/** The NUM items (TID 300) of a measurement: concept, value key in `Measurement.values`, unit. */
function numbersOf(m: Measurement): { concept: Code; key: string; unit: Code }[] {
  const modality = unitCode(m.units);
  const lengthUnit = m.calibrationNote === 'pixels' ? UNITS.pixels! : UNITS.mm!;
  const areaUnit = m.calibrationNote === 'pixels' ? UNITS.pixels! : UNITS.mm2!;
  const all: Record<MeasurementKind, { concept: Code; key: string; unit: Code }[]> = {
    length: [{ concept: CODES.length, key: 'lengthMm', unit: lengthUnit }],
    angle: [{ concept: CODES.angle, key: 'angleDeg', unit: UNITS.deg! }],
    probe: [{ concept: CODES.mean, key: 'value', unit: modality }],
    rectangle: [],
    ellipse: [],
  };
  const roi = [
    { concept: CODES.area, key: 'areaMm2', unit: areaUnit },
    { concept: CODES.mean, key: 'mean', unit: modality },
    { concept: CODES.standardDeviation, key: 'sd', unit: modality },
    { concept: CODES.minimum, key: 'min', unit: modality },
    { concept: CODES.maximum, key: 'max', unit: modality },
    { concept: CODES.numberOfPixels, key: 'pixels', unit: UNITS.pixels! },
  ];
  return (m.kind === 'rectangle' || m.kind === 'ellipse' ? roi : all[m.kind]).filter((n) => Number.isFinite(m.values[n.key]));
}

/** One TID 1501 Measurement Group: tracking, label as finding, each value a NUM inferred from the region. */
function measurementGroup(m: Measurement, image: FrameImage): NaturalDataset {
  const ref: ImageReference = { sopClassUid: image.sopClassUid, sopInstanceUid: image.sopInstanceUid, frameNumber: image.frameNumber };
  const graphic = graphicOf(m, image);
  const region = (relationship: 'INFERRED FROM' | 'CONTAINS') => scoordItem(relationship, graphic.type, graphic.points, ref);
  const nums = numbersOf(m).map((n) => numItem('CONTAINS', n.concept, m.values[n.key]!, n.unit, [region('INFERRED FROM')]));
  return containerItem(
    'CONTAINS',
    CODES.measurementGroup,
    [
      textItem('HAS OBS CONTEXT', CODES.trackingIdentifier, `${CORNERSTONE_3D_TAG}:${TOOL_OF_KIND[m.kind]}:${m.id}`),
      uidItem('HAS OBS CONTEXT', CODES.trackingUniqueIdentifier, newUid()),
      ...(m.label ? [codeItem('CONTAINS', CODES.finding, { ...CODES.freeTextLabel, meaning: m.label.slice(0, 64) })] : []),
      // SCOORD holds 32-bit floats (FL): the viewer's points as doubles too, so Lumen reads back exactly
      // the measurement it wrote; other readers go by the SCOORD, and Lumen does too if they disagree.
      textItem('CONTAINS', CODES.patientPoints, JSON.stringify(m.points)),
      // A measurement without values (a probe outside the image) still keeps its place (TID 1410 Image Region).
      ...(nums.length > 0 ? nums : [{ ...region('CONTAINS'), ConceptNameCodeSequence: [{ CodeValue: '111030', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Image Region' }] }]),
    ],
    '1501',
  );
}

/**
 * The viewer's measurements as a Measurement Report (PS3.16 TID 1500) in a Comprehensive SR. `frames`
 * holds every frame of the measured series as the viewer numbers them (frameImages). A measurement
 * whose frame is not there cannot be referenced: SR_FRAME_NOT_FOUND.
 */
export function writeMeasurementReport(measurements: readonly Measurement[], frames: ReadonlyMap<string, readonly FrameImage[]>, patientStudy: NaturalDataset, now?: Date): WrittenObject {
  const images = measurements.map((m) => {
    const series = frames.get(m.seriesInstanceUid) ?? [];
    const k = measurementFrame(m, series.map((i) => ({ sopInstanceUid: i.sopInstanceUid, frameNumber: i.frameNumber ?? 1 })));
    const image = k === null ? undefined : series[k];
    if (!image) throw new LumenError('SR_FRAME_NOT_FOUND', 'A measurement refers to an image that is not in the library; the report was not written.');
    return image;
  });
  const library = new Map(images.map((i) => [frameKey(i.sopInstanceUid, i.frameNumber), i]));
  const content = [
    codeItem('HAS CONCEPT MOD', CODES.languageOfContent, CODES.english),
    ...observerContext(),
    codeItem('HAS CONCEPT MOD', CODES.procedureReported, CODES.imagingProcedure),
    containerItem('CONTAINS', CODES.imageLibrary, [
      containerItem('CONTAINS', CODES.imageLibraryGroup, [...library.values()].map((i) => imageItem('CONTAINS', i))),
    ]),
    containerItem('CONTAINS', CODES.imagingMeasurements, measurements.map((m, i) => measurementGroup(m, images[i]!))),
  ];
  return writeSrDocument({
    title: CODES.imagingMeasurementReport,
    templateId: '1500',
    content,
    evidence: [...library.values()],
    patientStudy,
    seriesDescription: 'Lumen measurements',
    ...(now ? { now } : {}),
  });
}
