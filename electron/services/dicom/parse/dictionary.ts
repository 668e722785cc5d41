import dcmjs from 'dcmjs';

/** A data element's keyword and VR as the data dictionary (PS3.6) gives them. */
export interface DictionaryEntry {
  keyword: string;
  /** The VR to use in Implicit VR: PS3.6's ambiguous "US or SS" etc. are resolved to one choice here. */
  vr: string;
}

const dcmjsDictionary = dcmjs.data.DicomMetaDictionary.dictionary;

/**
 * PS3.6 lists some VRs as "US or SS", "OB or OW", "US or OW" (dcmjs spells them xs, ox, lt). In Implicit VR
 * the parser must pick one: US for descriptors and pixel value bounds (what pydicom and dcmtk do before
 * they know Pixel Representation), OW for Overlay/LUT data.
 */
const AMBIGUOUS_VR: Record<string, string> = { xs: 'US', ox: 'OW', lt: 'OW', na: 'UN' };

const cache = new Map<number, DictionaryEntry | null>();

export function hexTag(tag: number): string {
  return tag.toString(16).toUpperCase().padStart(8, '0');
}

function punctuated(tag: number): string {
  const hex = hexTag(tag);
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

/** Keyword and VR of a standard tag; null for private tags and tags the dictionary does not know. */
export function lookupTag(tag: number): DictionaryEntry | null {
  const cached = cache.get(tag);
  if (cached !== undefined) return cached;
  let found: DictionaryEntry | null = null;
  const group = tag >>> 16;
  // Private groups are odd (PS3.5 7.8); their meaning depends on the Private Creator, so no keyword.
  if ((group & 1) === 0) {
    const entry = dcmjsDictionary[punctuated(tag)];
    if (entry) found = { keyword: entry.name, vr: AMBIGUOUS_VR[entry.vr] ?? entry.vr };
  }
  cache.set(tag, found);
  return found;
}
