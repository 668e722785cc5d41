/**
 * A lookup table as DICOM describes it (PS3.3 C.11.1.1.1, C.11.2.1.1, C.7.6.3.1.5): LUT Descriptor
 * [entries (0 means 65536), first stored value mapped, bits per entry] and LUT Data.
 */
export interface LookupTable {
  numberOfEntries: number;
  firstMapped: number;
  bitsPerEntry: number;
  data: ArrayLike<number>;
}

export function lookupTable(descriptor: ArrayLike<number>, data: ArrayLike<number>, signedFirstMapped = false): LookupTable {
  const entries = descriptor[0] === 0 ? 65536 : (descriptor[0] ?? 0);
  let first = descriptor[1] ?? 0;
  // The first value mapped is US or SS as Pixel Representation says; read as US it wraps (C.11.1.1.1).
  if (signedFirstMapped && first >= 32768) first -= 65536;
  return { numberOfEntries: entries, firstMapped: first, bitsPerEntry: descriptor[2] ?? 16, data };
}

/** Values below the first mapped value take the first entry, above the last the last (C.11.1.1.1). */
export function lookUp(lut: LookupTable, value: number): number {
  const last = Math.min(lut.numberOfEntries, lut.data.length) - 1;
  const i = Math.round(value) - lut.firstMapped;
  return lut.data[i < 0 ? 0 : i > last ? last : i] as number;
}
