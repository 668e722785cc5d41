import { z } from 'zod';

/**
 * A viewer measurement as data: patient-space points (mm, LPS) on one frame of a series, and what
 * they measure. Saved with the study in the library; exported later as DICOM SR (TID 1500).
 */
export const MeasurementKindSchema = z.enum(['length', 'angle', 'rectangle', 'ellipse', 'probe']);
export type MeasurementKind = z.infer<typeof MeasurementKindSchema>;

/** An image of a series: its SOP Instance UID and frame number (1 for a single-frame instance). */
export const MeasuredImageSchema = z.object({ sopInstanceUid: z.string().min(1).max(64), frameNumber: z.number().int().positive() });
export type MeasuredImage = z.infer<typeof MeasuredImageSchema>;

export const MeasurementSchema = z.object({
  id: z.string().min(1).max(64),
  kind: MeasurementKindSchema,
  seriesInstanceUid: z.string().min(1).max(64),
  /** Frame index in the series' layout when last saved (frameImages[frame] is `image`). */
  frame: z.number().int().nonnegative(),
  /**
   * The image measured on. A series' layout changes when images are added to it (a retrieve still
   * arriving): the frame is found again from this. Absent in measurements saved before it was kept.
   */
  image: MeasuredImageSchema.optional(),
  points: z.array(z.tuple([z.number(), z.number(), z.number()]).readonly()).min(1).max(3),
  label: z.string().max(256),
  /** lengthMm, angleDeg, value/column/row (probe), mean/sd/min/max/pixels/areaMm2 (ROIs). */
  values: z.record(z.string(), z.number()),
  /** Modality units of the values (HU for CT). */
  units: z.string().max(32),
  /** Projection images: how lengths are calibrated ('pixels' when they are not). */
  calibrationNote: z.string().max(256).optional(),
});
export type Measurement = z.infer<typeof MeasurementSchema>;

/**
 * Where a measurement's image is in a series' layout (frame k shows images[k]); null when it is not
 * there (deleted). One saved without an image reference keeps its frame index.
 */
export function measurementFrame(m: Pick<Measurement, 'frame' | 'image'>, images: readonly MeasuredImage[]): number | null {
  const image = m.image;
  if (!image) return m.frame < images.length ? m.frame : null;
  const k = images.findIndex((i) => i.sopInstanceUid === image.sopInstanceUid && i.frameNumber === image.frameNumber);
  return k >= 0 ? k : null;
}
