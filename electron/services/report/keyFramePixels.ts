import { applyModalityLut, applyPresentationLut, applyVoiLut } from '../../../shared/imaging';
import { decodeFrame } from '../dicom/decode/index';
import { pipelineParameters, type PipelineParameters } from '../dicom/decode/pipelineParameters';
import { parseDicomFile } from '../dicom/parse/index';
import { toRgb8 } from '../viewer/viewerService';
import type { KeyImage, KeyImageWindow } from './reportInput';

/** Frames larger than this (on their long side) are reduced for the page: 1024 px is ~350 dpi on a half A4 width. */
export const MAX_KEY_IMAGE_SIDE = 1024;

export type DisplayFrame = Pick<KeyImage, 'window' | 'voiLutFunction' | 'inverted' | 'sourceColumns' | 'sourceRows' | 'pixels'>;

const DISPLAY_RANGE = { min: 0, max: 255 };

/** The window the viewer opens a frame with: the header's first valid one, else the frame's range. */
function openingWindow(params: PipelineParameters, modality: Float64Array): KeyImageWindow {
  const header = params.windows.find((w) => Number.isFinite(w.center) && Number.isFinite(w.width) && w.width > 0);
  if (header) return { center: header.center, width: header.width, source: 'header', ...(header.explanation ? { explanation: header.explanation.trim() } : {}) };
  let min = Infinity;
  let max = -Infinity;
  for (const v of modality) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { center: (min + max) / 2, width: Math.max(1, max - min), source: 'minmax' };
}

/** Averages blocks of factor x factor pixels: a frame too large for the page keeps its look, not its aliasing. */
function reduce(data: Uint8Array, columns: number, rows: number, samples: number, factor: number): { columns: number; rows: number; data: Uint8Array } {
  if (factor <= 1) return { columns, rows, data };
  const outColumns = Math.floor(columns / factor);
  const outRows = Math.floor(rows / factor);
  const out = new Uint8Array(outColumns * outRows * samples);
  const area = factor * factor;
  for (let y = 0; y < outRows; y++) {
    for (let x = 0; x < outColumns; x++) {
      for (let s = 0; s < samples; s++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          const row = (y * factor + dy) * columns;
          for (let dx = 0; dx < factor; dx++) sum += data[(row + x * factor + dx) * samples + s]!;
        }
        out[(y * outColumns + x) * samples + s] = Math.round(sum / area);
      }
    }
  }
  return { columns: outColumns, rows: outRows, data: out };
}

/**
 * One frame of a file as it is displayed: decoded, through the Modality LUT (PS3.3 C.11.1), the window
 * (C.11.2, the header's VOI LUT Function) and the Presentation LUT (C.11.6, MONOCHROME1 inverted) to
 * 8-bit values; colour frames to RGB as the data channel sends them. `window` overrides the opening one.
 */
export async function displayFrame(file: string, frameIndex: number, window?: { center: number; width: number }): Promise<DisplayFrame> {
  const parsed = await parseDicomFile(file);
  const frame = await decodeFrame(parsed, frameIndex);
  const params = pipelineParameters(parsed.dataset, frameIndex);
  const { columns, rows } = frame;
  const factor = Math.ceil(Math.max(columns, rows) / MAX_KEY_IMAGE_SIDE);
  if (frame.samplesPerPixel === 3 || params.palette) {
    const rgb = reduce(toRgb8(frame, params.palette), columns, rows, 3, factor);
    return { window: null, voiLutFunction: params.voiLutFunction, inverted: false, sourceColumns: columns, sourceRows: rows, pixels: { ...rgb, samplesPerPixel: 3 } };
  }
  const modality = applyModalityLut(frame.pixels, params.modality);
  const chosen: KeyImageWindow = window ? { ...window, source: 'caller' } : openingWindow(params, modality);
  // The frame's range is a plain linear ramp; a header's window goes with the header's function.
  const fn = chosen.source === 'minmax' ? 'LINEAR' : params.voiLutFunction;
  const voi = applyVoiLut(modality, { kind: 'window', window: chosen, function: fn }, DISPLAY_RANGE);
  const shown = applyPresentationLut(voi, params.presentationShape, DISPLAY_RANGE);
  const grey = new Uint8Array(shown.length);
  for (let i = 0; i < shown.length; i++) grey[i] = Math.round(shown[i]!);
  return {
    window: chosen,
    voiLutFunction: fn,
    inverted: params.presentationShape === 'INVERSE',
    sourceColumns: columns,
    sourceRows: rows,
    pixels: { ...reduce(grey, columns, rows, 1, factor), samplesPerPixel: 1 },
  };
}
