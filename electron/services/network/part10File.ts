import { LUMEN_VERSION } from '../version';

/** Lumen's Implementation Class UID (PS3.7 D.3.3.2): a UUID-derived 2.25 UID, fixed for the product. */
export const IMPLEMENTATION_CLASS_UID = '2.25.190227146452785123497437466391734520437';

function element(group: number, elementNo: number, vr: string, value: Buffer): Buffer {
  // Explicit VR Little Endian (PS3.5 7.1.2); OB has a 4-byte length after two reserved bytes.
  const long = vr === 'OB';
  const header = Buffer.alloc(long ? 12 : 8);
  header.writeUInt16LE(group, 0);
  header.writeUInt16LE(elementNo, 2);
  header.write(vr, 4, 'latin1');
  if (long) header.writeUInt32LE(value.length, 8);
  else header.writeUInt16LE(value.length, 6);
  return Buffer.concat([header, value]);
}

/** UI and SH values are padded to even length: UI with NUL, SH/AE with space (PS3.5 6.2). */
const text = (value: string, pad: string) => Buffer.from(value.length % 2 === 0 ? value : value + pad, 'latin1');

/**
 * A Part 10 file (PS3.10 7.1) around a data set exactly as it was received: 128-byte preamble, "DICM",
 * the File Meta Information group, then the received bytes in their transfer syntax, unchanged.
 */
export function part10File(dataset: Uint8Array, meta: { sopClassUid: string; sopInstanceUid: string; transferSyntaxUid: string; sourceAeTitle: string }): Buffer {
  const group = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', text(meta.sopClassUid, '\0')),
    element(0x0002, 0x0003, 'UI', text(meta.sopInstanceUid, '\0')),
    element(0x0002, 0x0010, 'UI', text(meta.transferSyntaxUid, '\0')),
    element(0x0002, 0x0012, 'UI', text(IMPLEMENTATION_CLASS_UID, '\0')),
    element(0x0002, 0x0013, 'SH', text(`LUMEN_${LUMEN_VERSION}`.slice(0, 16), ' ')),
    element(0x0002, 0x0016, 'AE', text(meta.sourceAeTitle.trim().slice(0, 16), ' ')),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(group.length, 0);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), element(0x0002, 0x0000, 'UL', groupLength), group, Buffer.from(dataset.buffer, dataset.byteOffset, dataset.byteLength)]);
}
