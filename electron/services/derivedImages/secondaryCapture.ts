import type { AiAnalysis, Heatmap } from '../../../shared/domain/aiResult';
import { RESEARCH_USE_ONLY } from '../sr/aiResultReport';
import type { SourceImage } from '../sr/sourceImage';
import { newInstance, type WrittenObject } from '../sr/newInstance';
import { drawText, GLYPH_HEIGHT } from './bitmapFont';
import { sourceReference } from './parametricMap';
import { upsampleHeatmap } from './upsampleHeatmap';

/** Secondary Capture Image Storage (PS3.4 B.5, IOD PS3.3 A.8.1). */
export const SECONDARY_CAPTURE_STORAGE = '1.2.840.10008.5.1.4.1.1.7';

/** A frame as displayed (after Modality, VOI and Presentation LUTs): 8-bit grey or interleaved RGB. */
export interface DisplayedImage {
  columns: number;
  rows: number;
  samplesPerPixel: 1 | 3;
  data: Uint8Array;
}

/** How much of the heatmap's colour covers the image where the evidence is strongest. */
const OVERLAY_OPACITY = 0.5;

/** The label a capture carries: the model, the result and the disclaimer, in the burned-in font's characters. */
export function captureLabel(analysis: Pick<AiAnalysis, 'model' | 'version' | 'probabilities' | 'prediction' | 'threshold'>, positiveLabel?: string): string[] {
  const label = positiveLabel ?? analysis.prediction;
  const p = analysis.probabilities[label];
  return [
    `${analysis.model} ${analysis.version}`,
    `${label}: P=${p === undefined ? '?' : p.toFixed(3)} (threshold ${analysis.threshold.toFixed(3)}) -> ${analysis.prediction}`,
    RESEARCH_USE_ONLY,
  ].map((line) => line.toUpperCase());
}

/**
 * The displayed frame in RGB with the activation map over it as the viewer draws it (red to yellow by
 * positive evidence relative to the peak, transparent where there is none) and the label in the top
 * left corner.
 */
export function burnInHeatmap(image: DisplayedImage, heatmap: Heatmap | null, label: readonly string[]): Uint8Array {
  const { columns, rows } = image;
  const rgb = new Uint8Array(columns * rows * 3);
  for (let i = 0; i < columns * rows; i++) {
    if (image.samplesPerPixel === 3) rgb.set(image.data.subarray(i * 3, i * 3 + 3), i * 3);
    else rgb.fill(image.data[i]!, i * 3, i * 3 + 3);
  }
  if (heatmap) {
    const values = upsampleHeatmap(heatmap, rows, columns);
    const peak = Math.max(1e-9, ...heatmap.values.map(Math.abs));
    for (let i = 0; i < values.length; i++) {
      const t = Math.max(0, values[i]!) / peak;
      const a = OVERLAY_OPACITY * t;
      if (a <= 0) continue;
      const colour = [255, 255 * t, 0];
      for (let c = 0; c < 3; c++) rgb[i * 3 + c] = Math.round(rgb[i * 3 + c]! * (1 - a) + colour[c]! * a);
    }
  }
  // Text about 1/80 of the image high per line, at least the font's own size.
  const scale = Math.max(1, Math.round(Math.max(columns, rows) / 80 / GLYPH_HEIGHT));
  label.forEach((line, n) => drawText(rgb, columns, rows, 0, n * (GLYPH_HEIGHT + 2) * scale, line, scale, [255, 255, 255]));
  return rgb;
}

/**
 * For PACS viewers that cannot show a Parametric Map: the analysed frame as displayed, with the
 * activation map and a label burned in, as a Secondary Capture image (RGB, Burned In Annotation YES,
 * referencing the source image).
 */
export function writeHeatmapSecondaryCapture(image: DisplayedImage, heatmap: Heatmap | null, label: readonly string[], source: SourceImage, now = new Date()): WrittenObject {
  const rgb = burnInHeatmap(image, heatmap, label);
  const instance = newInstance({ sopClassUid: SECONDARY_CAPTURE_STORAGE, patientStudy: source.patientStudy, modality: source.modality || 'OT', seriesNumber: 9003, seriesDescription: 'Lumen AI overlay (research use only)', now });
  return instance.write(
    {
      ImageType: ['DERIVED', 'SECONDARY'],
      Laterality: '',
      ConversionType: 'WSD',
      PatientOrientation: '',
      BurnedInAnnotation: 'YES',
      DerivationDescription: 'Displayed frame with the AI activation map and result label burned in (research use only)',
      SourceImageSequence: [sourceReference(source)],
      SamplesPerPixel: 3,
      PhotometricInterpretation: 'RGB',
      PlanarConfiguration: 0,
      Rows: image.rows,
      Columns: image.columns,
      BitsAllocated: 8,
      BitsStored: 8,
      HighBit: 7,
      PixelRepresentation: 0,
      PixelData: [rgb.buffer],
    },
    { PixelData: 'OB' },
  );
}
