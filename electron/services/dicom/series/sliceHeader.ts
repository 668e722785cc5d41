import { imageOrientation, type ImageOrientation } from '../../../../shared/domain/geometry/orientation';
import type { Vec3 } from '../../../../shared/domain/geometry/vector3';
import { native16Frame, type Native16Frame } from '../decode/native16Frame';
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
   * Planes made from the instance: one per frame (enhanced multi-frame with per-frame geometry; a classic
   * multi-frame instance, whose frames have no positions of their own, as a cine or a stack of images).
   */
  planesInFile: number;
  /** Where the frame's samples lie when it is uncompressed 16-bit (a volume load reads them directly). */
  native16?: Native16Frame;
  /**
   * The frame's own window (the first Window Center/Width pair, per frame for enhanced multi-frame):
   * some scanners set one per slice (Siemens MR). Null when it has none; planes stored by versions
   * before this field have none either, and the series window stands in for them.
   */
  window: FrameWindow | null;
}

export interface FrameWindow {
  center: number;
  width: number;
}

/** The first usable Window Center/Width pair of a data set or Frame VOI LUT item. */
function firstWindow(voi: NaturalDataset): FrameWindow | null {
  const first = (keyword: string) => {
    const v: unknown = [voi[keyword]].flat()[0];
    return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  };
  const center = first('WindowCenter');
  const width = first('WindowWidth');
  return Number.isFinite(center) && Number.isFinite(width) && width > 0 ? { center, width } : null;
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
  // Expand only what bytes back: Number of Frames alone is a claim; per-frame items, or the Pixel Data
  // the file holds, are bytes read.
  const planes = perFrameSeq ? Math.max(1, Math.min(frames, perFrameSeq.length)) : Math.min(frames, framesThePixelDataCanHold(parsed, base));
  // A classic multi-frame's one Image Position is the first frame's; the others have none (PS3.3 C.7.6.2).
  const framesHavePositions = perFrameSeq !== undefined || planes === 1;
  // Volume loads read single-frame files plane by plane (where this location saves a header parse) and
  // multi-frame files once for all their frames, so only a single plane gets one.
  const native16 = planes === 1 ? native16Frame(parsed, 0) : null;
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
      window: firstWindow(geometrySource('FrameVOILUTSequence')),
      ...base,
      frameIndex: f,
      planesInFile: planes,
      orientation: iop ? imageOrientation(iop) : null,
      imageOrientationPatient: iop,
      position: framesHavePositions ? vec3(ipp) : null,
      pixelSpacing: spacing ? [spacing[0]!, spacing[1]!] : null,
      rescale: {
        slope: numberOf(transform, 'RescaleSlope') ?? 1,
        intercept: numberOf(transform, 'RescaleIntercept') ?? 0,
        type: stringOf(transform, 'RescaleType') ?? null,
      },
      ...(native16 ? { native16 } : {}),
    });
  }
  return out;
}

/**
 * An upper bound on the frames in the Pixel Data, from its bytes: a native frame takes at least
 * rows x columns samples of Bits Allocated (1-bit frames are packed), an encapsulated one at least an
 * 8-byte item header. A crafted Number of Frames (a million) then yields planes only for bytes there.
 */
function framesThePixelDataCanHold(parsed: ParsedDicom, image: { rows: number; columns: number; bitsAllocated: number }): number {
  const frameBytes = Math.ceil((image.rows * image.columns * image.bitsAllocated) / 8);
  const pixels = parsed.pixelData;
  if (pixels) return Math.max(1, pixels.kind === 'native' ? Math.floor(pixels.bytes.length / Math.max(1, frameBytes)) : pixels.frames.length);
  const location = parsed.pixelDataLocation;
  if (!location) return 1;
  const encapsulated = location.length === 0xffffffff;
  const bytes = encapsulated ? location.available : Math.min(location.length, location.available);
  return Math.max(1, Math.floor(bytes / (encapsulated ? 8 : Math.max(1, frameBytes))));
}
