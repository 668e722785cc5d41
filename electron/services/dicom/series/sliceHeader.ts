import { imageOrientation, type ImageOrientation } from '../../../../shared/domain/geometry/orientation';
import type { Vec3 } from '../../../../shared/domain/geometry/vector3';
import { numberOf, numbersOf, stringOf } from '../parse/imageAttributes';
import type { NaturalDataset, ParsedDicom } from '../types';

/**
 * One image plane of a series: a single-frame instance, or one frame of a multi-frame instance. Series
 * assembly works on these, so classic and enhanced multi-frame objects are assembled the same way.
 */
export interface SliceHeader {
  path: string;
  frameIndex: number;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
  modality: string;
  seriesDescription: string;
  seriesNumber: number | null;
  instanceNumber: number | null;
  acquisitionNumber: number | null;
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  /** Image Orientation (Patient); null when the object has none (projection radiographs, US). */
  orientation: ImageOrientation | null;
  imageOrientationPatient: number[] | null;
  /** Image Position (Patient), mm. */
  position: Vec3 | null;
  /** Pixel Spacing (0028,0030): [between rows, between columns], mm. */
  pixelSpacing: [number, number] | null;
  /** Modality LUT as Rescale Slope/Intercept (PS3.3 C.11.1); identity when absent. */
  rescale: { slope: number; intercept: number; type: string | null };
  /** Number of Frames of the instance this plane comes from. */
  numberOfFrames: number;
  /**
   * Planes made from the instance: one per frame for enhanced multi-frame (per-frame geometry), one for
   * a classic multi-frame instance, whose frames have no positions of their own.
   */
  planesInFile: number;
}

/** The first item of a sequence, if any. */
function item(ds: NaturalDataset | undefined, keyword: string): NaturalDataset | undefined {
  const seq = ds?.[keyword];
  return Array.isArray(seq) && seq.length > 0 && typeof seq[0] === 'object' ? (seq[0] as NaturalDataset) : undefined;
}

/**
 * A functional-group macro's item for one frame: the per-frame item overrides the shared one
 * (PS3.3 C.7.6.16, Multi-frame Functional Groups).
 */
function functionalGroup(perFrame: NaturalDataset | undefined, shared: NaturalDataset | undefined, macro: string): NaturalDataset | undefined {
  return item(perFrame, macro) ?? item(shared, macro);
}

function vec3(values: number[] | undefined): Vec3 | null {
  return values ? [values[0]!, values[1]!, values[2]!] : null;
}

/** All image planes of a parsed instance (header-only is enough). */
export function sliceHeaders(path: string, parsed: ParsedDicom): SliceHeader[] {
  const ds = parsed.dataset;
  const frames = Math.max(1, Math.floor(numberOf(ds, 'NumberOfFrames') ?? 1));
  const shared = item(ds, 'SharedFunctionalGroupsSequence');
  const perFrameSeq = Array.isArray(ds.PerFrameFunctionalGroupsSequence) ? (ds.PerFrameFunctionalGroupsSequence as NaturalDataset[]) : undefined;
  const base = {
    path,
    sopInstanceUid: stringOf(ds, 'SOPInstanceUID') ?? '',
    seriesInstanceUid: stringOf(ds, 'SeriesInstanceUID') ?? '',
    studyInstanceUid: stringOf(ds, 'StudyInstanceUID') ?? '',
    modality: stringOf(ds, 'Modality') ?? '',
    seriesDescription: stringOf(ds, 'SeriesDescription') ?? '',
    seriesNumber: numberOf(ds, 'SeriesNumber') ?? null,
    instanceNumber: numberOf(ds, 'InstanceNumber') ?? null,
    acquisitionNumber: numberOf(ds, 'AcquisitionNumber') ?? null,
    rows: numberOf(ds, 'Rows') ?? 0,
    columns: numberOf(ds, 'Columns') ?? 0,
    samplesPerPixel: numberOf(ds, 'SamplesPerPixel') ?? 1,
    bitsAllocated: numberOf(ds, 'BitsAllocated') ?? 16,
    bitsStored: numberOf(ds, 'BitsStored') ?? numberOf(ds, 'BitsAllocated') ?? 16,
    pixelRepresentation: numberOf(ds, 'PixelRepresentation') ?? 0,
    numberOfFrames: frames,
  };
  // Expand only what per-frame items back: Number of Frames alone is a claim, the items are bytes read.
  const planes = perFrameSeq ? Math.max(1, Math.min(frames, perFrameSeq.length)) : 1;
  const out: SliceHeader[] = [];
  for (let f = 0; f < planes; f++) {
    const perFrame = perFrameSeq?.[f];
    const enhanced = perFrame !== undefined || shared !== undefined;
    const geometrySource = (macro: string) => (enhanced ? functionalGroup(perFrame, shared, macro) : undefined) ?? ds;
    const iop = numbersOf(geometrySource('PlaneOrientationSequence'), 'ImageOrientationPatient', 6) ?? null;
    const ipp = numbersOf(geometrySource('PlanePositionSequence'), 'ImagePositionPatient', 3);
    const spacing = numbersOf(geometrySource('PixelMeasuresSequence'), 'PixelSpacing', 2);
    const transform = geometrySource('PixelValueTransformationSequence');
    out.push({
      ...base,
      frameIndex: f,
      planesInFile: planes,
      orientation: iop ? imageOrientation(iop) : null,
      imageOrientationPatient: iop,
      position: vec3(ipp),
      pixelSpacing: spacing ? [spacing[0]!, spacing[1]!] : null,
      rescale: {
        slope: numberOf(transform, 'RescaleSlope') ?? 1,
        intercept: numberOf(transform, 'RescaleIntercept') ?? 0,
        type: stringOf(transform, 'RescaleType') ?? null,
      },
    });
  }
  return out;
}
