import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import dcmjs from 'dcmjs';
import { newUid } from '../dicom/uid';

/**
 * A CT-like chest phantom written as real DICOM (CT Image Storage, Explicit VR Little Endian), so a new
 * user sees the workstation work before having data, and tests get small fixtures without committing
 * files. Anatomy is a few ellipses and ellipsoids with textbook HU: air -1000, lung -850, fat -100,
 * soft tissue 40, blood 50, bone 700 (cortical rim 1200).
 */

export interface PhantomOptions {
  /** Columns = rows. */
  size: number;
  slices: number;
  /** In-plane pixel spacing, mm. */
  pixelSpacing: number;
  /** Distance between slice centres, mm. */
  sliceSpacing: number;
  patientName?: string;
  patientId?: string;
  /**
   * Gantry tilt about the left-right axis, degrees: the slices tilt while their centres still advance
   * along the patient's axis, as on a tilted CT (a test fixture for tilt detection and correction).
   */
  gantryTiltDegrees?: number;
}

export const DEMO_PHANTOM: PhantomOptions = { size: 256, slices: 96, pixelSpacing: 1.5, sliceSpacing: 2.5 };

/** Rescale Intercept of the written files: stored = HU + 1024, the common CT convention. */
const RESCALE_INTERCEPT = -1024;

/** Inside the ellipse centred at (cx, cy) with radii rx, ry. */
function inEllipse(x: number, y: number, cx: number, cy: number, rx: number, ry: number): boolean {
  const dx = (x - cx) / rx;
  const dy = (y - cy) / ry;
  return dx * dx + dy * dy <= 1;
}

/** HU of the phantom at a patient position (mm, LPS, origin at the phantom's centre). Pure. */
export function phantomHu(x: number, y: number, z: number, halfLength: number): number {
  // The torso tapers towards both ends of the scan so coronal and sagittal views look like a chest.
  const zr = z / (halfLength * 1.35);
  const taper = Math.sqrt(Math.max(0, 1 - zr * zr));
  if (!inEllipse(x, y, 0, 0, 160 * taper, 110 * taper)) return -1000;
  if (!inEllipse(x, y, 0, 0, 152 * taper, 102 * taper)) return -100; // subcutaneous fat
  if (inEllipse(x, y, 0, 70, 16, 14)) return inEllipse(x, y, 0, 70, 12, 10) ? 700 : 1200; // vertebral body
  if (inEllipse(x, y, 0, 8, 13, 13)) return 50; // aorta, blood
  if (inEllipse(x, y, -15, -20, 38 * taper, 30 * taper)) return 40; // heart
  const lungRx = 58 * taper;
  const lungRy = 80 * taper;
  if (inEllipse(x, y, -75, 0, lungRx, lungRy)) {
    // A 10 mm nodule in the right lung (patient right = -x in LPS), something to measure.
    const nx = x + 80;
    const ny = y + 10;
    const nz = z - 12;
    return nx * nx + ny * ny + nz * nz <= 25 ? 30 : -850;
  }
  if (inEllipse(x, y, 75, 0, lungRx, lungRy)) return -850;
  return 40;
}

/** Writes the phantom series into `folder`, one file per slice; returns the file paths. */
export async function writeCtPhantom(folder: string, options: PhantomOptions = DEMO_PHANTOM): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const { size, slices, pixelSpacing, sliceSpacing } = options;
  const studyUid = newUid();
  const seriesUid = newUid();
  const frameOfReferenceUid = newUid();
  const halfLength = ((slices - 1) * sliceSpacing) / 2;
  const half = ((size - 1) * pixelSpacing) / 2;
  const tilt = ((options.gantryTiltDegrees ?? 0) * Math.PI) / 180;
  const rowDirection = [1, 0, 0] as const;
  const columnDirection = [0, Math.cos(tilt), -Math.sin(tilt)] as const;
  const today = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  const files: string[] = [];
  const stored = new Uint16Array(size * size);

  for (let k = 0; k < slices; k++) {
    // Slice 1 is the most superior, as scanners usually number a head-first chest.
    const z = halfLength - k * sliceSpacing;
    // PS3.3 C.7.6.2.1.1: pixel (row, col) lies at IPP + col * dx * row direction + row * dy * column direction.
    const ipp = [0, 1, 2].map((a) => (a === 2 ? z : 0) - half * rowDirection[a]! - half * columnDirection[a]!);
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        const [x, y, zz] = [0, 1, 2].map((a) => ipp[a]! + col * pixelSpacing * rowDirection[a]! + row * pixelSpacing * columnDirection[a]!);
        stored[row * size + col] = phantomHu(x!, y!, zz!, halfLength) - RESCALE_INTERCEPT;
      }
    }
    const dataset = {
      _meta: { TransferSyntaxUID: { Value: ['1.2.840.10008.1.2.1'] } },
      _vrMap: { PixelData: 'OW' },
      SpecificCharacterSet: 'ISO_IR 192',
      ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
      SOPInstanceUID: newUid(),
      StudyDate: today,
      SeriesDate: today,
      StudyTime: '120000',
      AccessionNumber: 'DEMO0001',
      Modality: 'CT',
      Manufacturer: 'Lumen',
      InstitutionName: 'Lumen demo (synthetic phantom)',
      ReferringPhysicianName: '',
      StudyDescription: 'Demo chest phantom (synthetic)',
      SeriesDescription: 'Axial 2.5 mm (synthetic)',
      PatientName: options.patientName ?? 'Demo^Phantom',
      PatientID: options.patientId ?? 'LUMEN-DEMO-0001',
      PatientBirthDate: '19700101',
      PatientSex: 'O',
      BodyPartExamined: 'CHEST',
      SliceThickness: String(sliceSpacing),
      KVP: '120',
      PatientPosition: 'HFS',
      StudyInstanceUID: studyUid,
      SeriesInstanceUID: seriesUid,
      StudyID: '1',
      SeriesNumber: '1',
      InstanceNumber: String(k + 1),
      ImagePositionPatient: ipp.map((v) => v.toFixed(4)),
      ImageOrientationPatient: [...rowDirection, ...columnDirection].map((v) => String(Number(v.toFixed(8)))),
      FrameOfReferenceUID: frameOfReferenceUid,
      SliceLocation: z.toFixed(4),
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'MONOCHROME2',
      Rows: size,
      Columns: size,
      PixelSpacing: [String(pixelSpacing), String(pixelSpacing)],
      BitsAllocated: 16,
      BitsStored: 12,
      HighBit: 11,
      PixelRepresentation: 0,
      WindowCenter: ['40', '-600'],
      WindowWidth: ['400', '1500'],
      WindowCenterWidthExplanation: ['MEDIASTINUM', 'LUNG'],
      RescaleIntercept: String(RESCALE_INTERCEPT),
      RescaleSlope: '1',
      RescaleType: 'HU',
      PixelData: [stored.slice().buffer],
    };
    const file = path.join(folder, `CT${String(k + 1).padStart(4, '0')}.dcm`);
    await writeFile(file, dcmjs.data.datasetToBuffer(dataset));
    files.push(file);
  }
  return files;
}
