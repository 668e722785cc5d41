import { dicomError } from '../dicomError';

/** How a transfer syntax's pixel data is encoded (PS3.5 Section 10 and Annex A). */
export type PixelEncoding =
  | 'native'
  | 'rle'
  | 'jpegBaseline'
  | 'jpegExtended'
  | 'jpegLossless'
  | 'jpegLs'
  | 'jpeg2000'
  | 'htj2k'
  | 'deflatedFrame';

export interface TransferSyntaxInfo {
  uid: string;
  name: string;
  encoding: PixelEncoding;
  /** Lossy encodings are compared with a tolerance in conformance, lossless ones exactly. */
  lossy: boolean;
}

const table: readonly TransferSyntaxInfo[] = [
  { uid: '1.2.840.10008.1.2', name: 'Implicit VR Little Endian', encoding: 'native', lossy: false },
  { uid: '1.2.840.10008.1.2.1', name: 'Explicit VR Little Endian', encoding: 'native', lossy: false },
  // The parser inflates the whole data set (PS3.5 A.5); pixel data inside is native.
  { uid: '1.2.840.10008.1.2.1.99', name: 'Deflated Explicit VR Little Endian', encoding: 'native', lossy: false },
  { uid: '1.2.840.10008.1.2.2', name: 'Explicit VR Big Endian', encoding: 'native', lossy: false },
  // Encapsulated Uncompressed (PS3.5 A.4.11): native little-endian bytes, one fragment per frame.
  { uid: '1.2.840.10008.1.2.1.98', name: 'Encapsulated Uncompressed Explicit VR Little Endian', encoding: 'native', lossy: false },
  { uid: '1.2.840.10008.1.2.5', name: 'RLE Lossless', encoding: 'rle', lossy: false },
  { uid: '1.2.840.10008.1.2.4.50', name: 'JPEG Baseline (Process 1)', encoding: 'jpegBaseline', lossy: true },
  { uid: '1.2.840.10008.1.2.4.51', name: 'JPEG Extended (Process 2 & 4)', encoding: 'jpegExtended', lossy: true },
  { uid: '1.2.840.10008.1.2.4.57', name: 'JPEG Lossless, Non-Hierarchical (Process 14)', encoding: 'jpegLossless', lossy: false },
  { uid: '1.2.840.10008.1.2.4.70', name: 'JPEG Lossless, First-Order Prediction (Process 14, SV1)', encoding: 'jpegLossless', lossy: false },
  { uid: '1.2.840.10008.1.2.4.80', name: 'JPEG-LS Lossless', encoding: 'jpegLs', lossy: false },
  { uid: '1.2.840.10008.1.2.4.81', name: 'JPEG-LS Lossy (Near-Lossless)', encoding: 'jpegLs', lossy: true },
  { uid: '1.2.840.10008.1.2.4.90', name: 'JPEG 2000 (Lossless Only)', encoding: 'jpeg2000', lossy: false },
  { uid: '1.2.840.10008.1.2.4.91', name: 'JPEG 2000', encoding: 'jpeg2000', lossy: true },
  { uid: '1.2.840.10008.1.2.4.201', name: 'HTJ2K (Lossless Only)', encoding: 'htj2k', lossy: false },
  { uid: '1.2.840.10008.1.2.4.202', name: 'HTJ2K with RPCL Options (Lossless Only)', encoding: 'htj2k', lossy: false },
  { uid: '1.2.840.10008.1.2.4.203', name: 'HTJ2K', encoding: 'htj2k', lossy: true },
  { uid: '1.2.840.10008.1.2.8.1', name: 'Deflated Image Frame Compression', encoding: 'deflatedFrame', lossy: false },
];

const byUid = new Map(table.map((ts) => [ts.uid, ts]));

export const supportedTransferSyntaxes: readonly TransferSyntaxInfo[] = table;

export function transferSyntaxInfo(uid: string): TransferSyntaxInfo {
  const info = byUid.get(uid);
  if (!info) {
    throw dicomError(
      'DICOM_UNSUPPORTED_TRANSFER_SYNTAX',
      `This image is compressed in a format Lumen cannot decode (transfer syntax ${uid || 'unknown'}).`,
    );
  }
  return info;
}
