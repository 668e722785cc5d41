import { z } from 'zod';

/**
 * A viewer measurement as data: patient-space points (mm, LPS) on one frame of a series, and what
 * they measure. Saved with the study in the library; exported later as DICOM SR (TID 1500).
 */
export const MeasurementKindSchema = z.enum(['length', 'angle', 'rectangle', 'ellipse', 'probe']);
export type MeasurementKind = z.infer<typeof MeasurementKindSchema>;

export const MeasurementSchema = z.object({
  id: z.string().min(1).max(64),
  kind: MeasurementKindSchema,
  seriesInstanceUid: z.string().min(1).max(64),
  frame: z.number().int().nonnegative(),
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
