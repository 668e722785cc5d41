/** How a transfer syntax lays out the data set and Pixel Data (PS3.5 section 10 and Annex A). */
export interface TransferSyntaxLayout {
  littleEndian: boolean;
  explicitVR: boolean;
  /** Deflated Explicit VR Little Endian: the whole data set after the File Meta is raw deflate (PS3.5 A.5). */
  deflatedDataSet: boolean;
  /** Pixel Data is a sequence of fragments (PS3.5 A.4). */
  encapsulated: boolean;
}

export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';
/** Deflated Image Frame Compression: encapsulated, each frame one raw-deflate stream. */
export const DEFLATED_IMAGE_FRAME_COMPRESSION = '1.2.840.10008.1.2.8.1';

const native = (littleEndian: boolean, explicitVR: boolean, deflatedDataSet = false): TransferSyntaxLayout => ({
  littleEndian,
  explicitVR,
  deflatedDataSet,
  encapsulated: false,
});

const KNOWN_NATIVE: Record<string, TransferSyntaxLayout> = {
  [IMPLICIT_VR_LITTLE_ENDIAN]: native(true, false),
  [EXPLICIT_VR_LITTLE_ENDIAN]: native(true, true),
  [DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN]: native(true, true, true),
  [EXPLICIT_VR_BIG_ENDIAN]: native(false, true),
  // Encapsulated Uncompressed Explicit VR Little Endian (PS3.5 A.4.11) is encapsulated, handled below.
};

/**
 * Every other transfer syntax (JPEG, JPEG-LS, JPEG 2000, HTJ2K, RLE, MPEG, deflated frames...) encodes
 * the data set as Explicit VR Little Endian with encapsulated Pixel Data (PS3.5 A.4). Whether the
 * decoder supports the codec is the decoder's business, not the parser's.
 */
export function transferSyntaxLayout(uid: string): TransferSyntaxLayout {
  return KNOWN_NATIVE[uid] ?? { littleEndian: true, explicitVR: true, deflatedDataSet: false, encapsulated: true };
}
