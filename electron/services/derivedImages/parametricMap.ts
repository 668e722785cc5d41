import type { Heatmap } from '../../../shared/domain/aiResult';
import { LumenError } from '../../../shared/domain/errors';
import { newUid } from '../dicom/uid';
import type { NaturalDataset } from '../dicom/types';
import { codeSequence, decimalString } from '../sr/contentItems';
import { CODES, UNITS } from '../sr/codes';
import type { SourceImage } from '../sr/sourceImage';
import { newInstance, type WrittenObject } from '../sr/newInstance';
import { upsampleHeatmap } from './upsampleHeatmap';

const IMAGE_TYPE = ['DERIVED', 'PRIMARY', 'OTHER', 'NONE'];

/** Parametric Map Storage (PS3.4 B.5, IOD PS3.3 A.75). */
export const PARAMETRIC_MAP_STORAGE = '1.2.840.10008.5.1.4.1.1.30';

/** Referenced SOP of the source image, with its frame when it is multi-frame (PS3.3 C.7.6.1.1.3). */
export function sourceReference(source: SourceImage): NaturalDataset {
  return {
    ReferencedSOPClassUID: source.sopClassUid,
    ReferencedSOPInstanceUID: source.sopInstanceUid,
    ...(source.numberOfFrames > 1 ? { ReferencedFrameNumber: '1' } : {}),
  };
}

/** The Common Instance Reference module (PS3.3 C.12.2): the source, in its series of the same study. */
export function commonInstanceReference(source: SourceImage): NaturalDataset {
  return {
    ReferencedSeriesSequence: [
      { SeriesInstanceUID: source.seriesInstanceUid, ReferencedInstanceSequence: [{ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: source.sopInstanceUid }] },
    ],
  };
}

/**
 * Geometry of the map: the source's own plane when it has one (same Frame of Reference, Image Position
 * and Orientation, Pixel Spacing: the map lies pixel for pixel on the image). A projection radiograph
 * has no patient plane and often no Frame of Reference, yet the Parametric Map requires both (PS3.3
 * A.75.3): it gets a Frame of Reference of its own and the image plane the viewer measures projection
 * images on (origin 0, rows along x, columns along y, the source's calibration or 1 per pixel), which
 * claims nothing about patient space; the registration to the image is the Derivation Image reference
 * and equal dimensions.
 */
function geometry(source: SourceImage): { frameOfReferenceUid: string; planeGroups: NaturalDataset } {
  const patientPlane = source.imagePositionPatient && source.imageOrientationPatient;
  const spacing = source.pixelSpacing ?? [1, 1];
  return {
    frameOfReferenceUid: (patientPlane && source.frameOfReferenceUid) || newUid(),
    planeGroups: {
      PixelMeasuresSequence: [{ PixelSpacing: spacing.map(decimalString), SliceThickness: '1' }],
      PlanePositionSequence: [{ ImagePositionPatient: (source.imagePositionPatient ?? [0, 0, 0]).map(decimalString) }],
      PlaneOrientationSequence: [{ ImageOrientationPatient: (source.imageOrientationPatient ?? [1, 0, 0, 0, 1, 0]).map(decimalString) }],
    },
  };
}

/**
 * An AI activation map as a Parametric Map: 32-bit float pixels (Float Pixel Data), the heatmap
 * upsampled to the source image's rows and columns, with a Real World Value Mapping (identity, no
 * units) and the Derivation Image functional group pointing at the source (PS3.3 C.7.6.16.2.6).
 */
export function writeParametricMap(heatmap: Heatmap, source: SourceImage, model: { id: string; version: string }, now = new Date()): WrittenObject {
  if (source.rows <= 0 || source.columns <= 0) throw new LumenError('SR_SOURCE_INVALID', 'The analysed image has no size; the map cannot be registered to it.');
  const pixels = upsampleHeatmap(heatmap, source.rows, source.columns);
  let min = Infinity;
  let max = -Infinity;
  for (const v of pixels) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const label = `${model.id} ${model.version}`;
  const instance = newInstance({ sopClassUid: PARAMETRIC_MAP_STORAGE, patientStudy: source.patientStudy, modality: source.modality || 'OT', seriesNumber: 9002, seriesDescription: `Lumen AI activation map ${label} (research use only)`, now });
  const { frameOfReferenceUid, planeGroups } = geometry(source);
  const dimensionOrganizationUid = newUid();
  return instance.write(
    {
      // Image Flavor and Derived Pixel Contrast (PS3.3 C.8.32.1.1): a single-frame map, a model output.
      ImageType: IMAGE_TYPE,
      Laterality: '',
      FrameOfReferenceUID: frameOfReferenceUid,
      PositionReferenceIndicator: '',
      NumberOfFrames: '1',
      // Parametric Map Image module (PS3.3 C.8.32.2)
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'MONOCHROME2',
      Rows: source.rows,
      Columns: source.columns,
      BitsAllocated: 32,
      ContentLabel: 'ACTIVATION',
      ContentDescription: `Activation map of ${label}`.slice(0, 64),
      ContentCreatorName: 'Lumen',
      ContentQualification: 'RESEARCH',
      PresentationLUTShape: 'IDENTITY',
      LossyImageCompression: '00',
      BurnedInAnnotation: 'NO',
      RecognizableVisualFeatures: 'NO',
      DerivationDescription: 'Model activation map for the positive label, upsampled bilinearly from the model grid to the image (research use only)',
      SourceImageSequence: [{ ...sourceReference(source), PurposeOfReferenceCodeSequence: codeSequence({ value: '121322', scheme: 'DCM', meaning: 'Source image for image processing operation' }) }],
      ...commonInstanceReference(source),
      AcquisitionContextSequence: [],
      DimensionOrganizationSequence: [{ DimensionOrganizationUID: dimensionOrganizationUid }],
      DimensionIndexSequence: [
        // One frame, indexed by its stack position (PS3.3 C.7.6.17): the simplest valid organisation.
        { DimensionOrganizationUID: dimensionOrganizationUid, DimensionIndexPointer: 0x00209057, FunctionalGroupPointer: 0x00209111, DimensionDescriptionLabel: 'Frame' },
      ],
      SharedFunctionalGroupsSequence: [
        {
          ...planeGroups,
          DerivationImageSequence: [
            {
              SourceImageSequence: [{ ...sourceReference(source), PurposeOfReferenceCodeSequence: codeSequence({ value: '121322', scheme: 'DCM', meaning: 'Source image for image processing operation' }) }],
              DerivationCodeSequence: codeSequence({ value: '113085', scheme: 'DCM', meaning: 'Spatial resampling' }),
            },
          ],
          RealWorldValueMappingSequence: [
            {
              DoubleFloatRealWorldValueFirstValueMapped: min,
              DoubleFloatRealWorldValueLastValueMapped: max,
              RealWorldValueIntercept: 0,
              RealWorldValueSlope: 1,
              LUTExplanation: 'Model activation (relative evidence)',
              LUTLabel: 'ACTIVATION',
              MeasurementUnitsCodeSequence: codeSequence(UNITS.none!),
              QuantityDefinitionSequence: [
                { ValueType: 'CODE', ConceptNameCodeSequence: codeSequence({ value: '246205007', scheme: 'SCT', meaning: 'Quantity' }), ConceptCodeSequence: codeSequence(CODES.activationMap) },
              ],
            },
          ],
          ParametricMapFrameTypeSequence: [{ FrameType: IMAGE_TYPE }],
          PixelValueTransformationSequence: [{ RescaleIntercept: '0', RescaleSlope: '1', RescaleType: 'US' }],
          FrameVOILUTSequence: [{ WindowCenter: decimalString((min + max) / 2), WindowWidth: decimalString(Math.max(1e-6, max - min)) }],
        },
      ],
      PerFrameFunctionalGroupsSequence: [{ FrameContentSequence: [{ DimensionIndexValues: [1], StackID: '1', InStackPositionNumber: 1 }] }],
      FloatPixelData: [pixels.buffer],
    },
    { FloatPixelData: 'OF' },
  );
}
