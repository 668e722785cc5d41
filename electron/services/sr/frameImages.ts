import { framePlane, type FramePlane } from '../../../shared/domain/geometry/framePlane';
import type { SeriesView } from '../../../shared/ipc/contract';
import { stringOf } from '../dicom/parse/index';
import type { SeriesLayout } from '../viewer/seriesLayout';
import type { EvidenceImage } from './srDocument';

/** Frame k of a series as the viewer numbers it: the image an SR references, and its plane in patient space. */
export interface FrameImage extends EvidenceImage {
  seriesInstanceUid: string;
  frame: number;
  plane: FramePlane;
  view: SeriesView;
}

/**
 * Every frame of a laid-out series. A multi-frame instance is referenced with its frame number
 * (PS3.3 C.18.3.1: Referenced Frame Number only for multi-frame images); instances of a series share
 * the first's SOP class, as series assembly groups them.
 */
export function frameImages(layout: SeriesLayout): FrameImage[] {
  const sopClassUid = stringOf(layout.first, 'SOPClassUID') ?? '';
  return layout.series.slices.map((slice, k) => ({
    sopClassUid,
    sopInstanceUid: slice.sopInstanceUid,
    frameNumber: slice.numberOfFrames > 1 ? slice.frameIndex + 1 : null,
    studyInstanceUid: slice.studyInstanceUid,
    seriesInstanceUid: slice.seriesInstanceUid,
    frame: k,
    plane: framePlane(layout.view, k),
    view: layout.view,
  }));
}

/** The key a reference resolves by: instance, and frame for multi-frame instances. */
export const frameKey = (sopInstanceUid: string, frameNumber: number | null | undefined) => `${sopInstanceUid}#${frameNumber ?? 1}`;
