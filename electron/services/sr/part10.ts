import dcmjs from 'dcmjs';
import { LumenError } from '../../../shared/domain/errors';
import { IMPLEMENTATION_CLASS_UID } from '../network/part10File';
import { LUMEN_VERSION } from '../version';
import { parseDicomBytes } from '../dicom/parse/index';
import type { NaturalDataset, ParsedDicom } from '../dicom/types';

const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/**
 * A data set Lumen made (natural keywords, as dcmjs names them) as a Part 10 file (PS3.10 7.1) in
 * Explicit VR Little Endian, with Lumen's implementation identity in the File Meta Information.
 * `vrs` gives the VR of elements whose dictionary VR is ambiguous (Pixel Data OW/OB, US/SS).
 */
export function writePart10(dataset: NaturalDataset, vrs: Record<string, string> = {}): Uint8Array {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: `LUMEN_${LUMEN_VERSION}`.slice(0, 16),
  };
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset({ ...dataset, _vrMap: vrs });
  return new Uint8Array(dict.write() as ArrayBuffer);
}

/**
 * A Part 10 file read whole (sequences and all) into natural keywords, strings decoded by Specific
 * Character Set: SR readers need the full content tree.
 */
export function readPart10(bytes: Uint8Array): ParsedDicom {
  try {
    return parseDicomBytes(bytes);
  } catch (error) {
    if (error instanceof LumenError) throw error;
    throw new LumenError('DICOM_UNREADABLE', 'The file is not a readable DICOM file.', { cause: error });
  }
}
