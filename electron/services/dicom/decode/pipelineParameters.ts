import { dicomError } from '../dicomError';
import type { NaturalDataset } from '../types';
import { lookupTable, type LookupTable } from '../../../../shared/imaging/lut';
import type { ModalityLut } from '../../../../shared/imaging/modalityLut';
import type { VoiLutFunction, Window } from '../../../../shared/imaging/voiLut';
import { presentationShapeFor, type PresentationLutShape } from '../../../../shared/imaging/presentationLut';
import { expandSegmentedLut, type Palette } from '../../../../shared/imaging/paletteColor';

/** What the pixel pipeline needs for one frame, read from the header (PS3.3 C.11, C.7.6.3, C.7.6.16). */
export interface PipelineParameters {
  modality: ModalityLut;
  /** Every window the header offers (several values of Window Center / Width), in order. */
  windows: Window[];
  voiLutFunction: VoiLutFunction;
  voiLuts: LookupTable[];
  presentationShape: PresentationLutShape;
  palette?: Palette;
}

type Item = Record<string, unknown>;

function items(value: unknown): Item[] {
  return Array.isArray(value) ? (value.filter((v) => v && typeof v === 'object') as Item[]) : [];
}

function numbers(value: unknown): number[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map(Number).filter(Number.isFinite);
}

/**
 * An attribute for a frame of an enhanced multi-frame image: the frame's Per-Frame Functional Groups
 * item first, then the Shared Functional Groups, then the top level (PS3.3 C.7.6.16).
 */
function frameMacro(dataset: NaturalDataset, frameIndex: number, macro: string): Item | undefined {
  const perFrame = items(dataset['PerFrameFunctionalGroupsSequence'])[frameIndex];
  const shared = items(dataset['SharedFunctionalGroupsSequence'])[0];
  return items(perFrame?.[macro])[0] ?? items(shared?.[macro])[0];
}

export function pipelineParameters(dataset: NaturalDataset, frameIndex = 0): PipelineParameters {
  const signed = Number(dataset['PixelRepresentation']) === 1;
  const transform: Item = frameMacro(dataset, frameIndex, 'PixelValueTransformationSequence') ?? dataset;
  const voi: Item = frameMacro(dataset, frameIndex, 'FrameVOILUTSequence') ?? dataset;

  let modality: ModalityLut = { kind: 'identity' };
  const modalitySequence = items(dataset['ModalityLUTSequence'])[0];
  const slope = numbers(transform['RescaleSlope'])[0];
  const intercept = numbers(transform['RescaleIntercept'])[0];
  if (modalitySequence && modalitySequence['LUTData']) {
    modality = { kind: 'lut', lut: lookupTable(numbers(modalitySequence['LUTDescriptor']), modalitySequence['LUTData'] as ArrayLike<number>, signed) };
  } else if (slope !== undefined || intercept !== undefined) {
    modality = { kind: 'rescale', slope: slope ?? 1, intercept: intercept ?? 0 };
  }

  const centers = numbers(voi['WindowCenter']);
  const widths = numbers(voi['WindowWidth']);
  const explanations = Array.isArray(voi['WindowCenterWidthExplanation']) ? (voi['WindowCenterWidthExplanation'] as unknown[]) : [voi['WindowCenterWidthExplanation']];
  const windows: Window[] = centers.slice(0, widths.length).map((center, i) => {
    const explanation = explanations[i];
    return { center, width: widths[i] as number, ...(typeof explanation === 'string' ? { explanation } : {}) };
  });
  const fn = String(voi['VOILUTFunction'] ?? 'LINEAR').trim().toUpperCase();
  const voiLuts = items(dataset['VOILUTSequence']).map((item) =>
    // VOI LUT input is the modality output; the first value mapped follows its sign (C.11.2.1.1).
    lookupTable(numbers(item['LUTDescriptor']), item['LUTData'] as ArrayLike<number>, signed || modality.kind === 'rescale'),
  );

  const photometric = String(dataset['PhotometricInterpretation'] ?? '');
  const parameters: PipelineParameters = {
    modality,
    windows,
    voiLutFunction: fn === 'SIGMOID' || fn === 'LINEAR_EXACT' ? fn : 'LINEAR',
    voiLuts,
    presentationShape: presentationShapeFor(photometric, dataset['PresentationLUTShape'] as string | undefined),
  };
  const palette = readPalette(dataset);
  if (palette) parameters.palette = palette;
  return parameters;
}

/** The segmented table expanded, or the typed error every reader of a damaged header gets. */
function expandSegmented(segmented: ArrayLike<number>, entries: number, colour: string): Uint16Array {
  try {
    return expandSegmentedLut(segmented, entries);
  } catch (error) {
    throw dicomError('DICOM_BAD_IMAGE_ATTRIBUTES', `The Segmented ${colour} Palette Color Lookup Table Data is malformed (${error instanceof Error ? error.message : String(error)}).`);
  }
}

function readPalette(dataset: NaturalDataset): Palette | undefined {
  const channel = (colour: 'Red' | 'Green' | 'Blue'): LookupTable | undefined => {
    const descriptor = numbers(dataset[`${colour}PaletteColorLookupTableDescriptor`]);
    if (descriptor.length < 3) return undefined;
    const entries = descriptor[0] === 0 ? 65536 : (descriptor[0] as number);
    const segmented = dataset[`Segmented${colour}PaletteColorLookupTableData`] as ArrayLike<number> | undefined;
    const plain = dataset[`${colour}PaletteColorLookupTableData`] as ArrayLike<number> | undefined;
    const data = segmented ? expandSegmented(segmented, entries, colour) : plain;
    if (!data) return undefined;
    // 8-bit entries in OW data are packed two per word (C.7.6.3.1.6); the parser gives words.
    const unpacked = descriptor[2] === 8 && data.length * 2 === entries ? Uint8Array.from({ length: entries }, (_, i) => ((data[i >> 1] as number) >> ((i & 1) * 8)) & 0xff) : data;
    return lookupTable(descriptor, unpacked, false);
  };
  const red = channel('Red');
  const green = channel('Green');
  const blue = channel('Blue');
  return red && green && blue ? { red, green, blue } : undefined;
}
