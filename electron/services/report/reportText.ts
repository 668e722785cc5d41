import type { Measurement } from '../../../shared/domain/measurement';

/**
 * Printed forms of DICOM values and measurements for the report. The renderer shows the same values in
 * its own forms (renderer/src/library/formatDicom.ts), which the back end cannot import.
 */

/** PN (PS3.5 6.2.1): "Family^Given^Middle^Prefix^Suffix" as "Family, Given Middle"; the first component group only. */
export function personNameText(pn: string): string {
  const alphabetic = pn.split('=')[0] ?? '';
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = alphabetic.split('^').map((c) => c.trim());
  const rest = [prefix, given, middle].filter(Boolean).join(' ');
  const name = family && rest ? `${family}, ${rest}` : family || rest;
  return suffix && name ? `${name}, ${suffix}` : name;
}

/** DA "YYYYMMDD" as "YYYY-MM-DD" (unambiguous across locales); anything else unchanged. */
export function dicomDateText(da: string): string {
  const t = da.trim();
  return /^\d{8}$/.test(t) ? `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}` : t;
}

/** Patient's Sex (0010,0040) code in words. */
export function sexText(cs: string): string {
  return { M: 'male', F: 'female', O: 'other' }[cs.trim().toUpperCase()] ?? cs.trim();
}

/** A number without noise digits: two decimals for lengths, one for the rest. */
function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/**
 * A measurement's values with units, the way the measurement panel lists them: lengths in mm (px when
 * the image has no calibration), angles in degrees, probe and ROI statistics in modality units.
 */
export function measurementValueText(m: Pick<Measurement, 'values' | 'units' | 'calibrationNote'>): string {
  const { values, units } = m;
  const lengthUnit = m.calibrationNote === 'pixels' ? 'px' : 'mm';
  const areaUnit = m.calibrationNote === 'pixels' ? 'px²' : 'mm²';
  const withUnits = (text: string) => (units ? `${text} ${units}` : text);
  const parts: string[] = [];
  if (values.lengthMm !== undefined) parts.push(`${fixed(values.lengthMm, 2)} ${lengthUnit}`);
  if (values.angleDeg !== undefined) parts.push(`${fixed(values.angleDeg, 1)}°`);
  if (values.value !== undefined) parts.push(withUnits(fixed(values.value, 1)));
  if (values.mean !== undefined) {
    parts.push(withUnits(`mean ${fixed(values.mean, 1)}, SD ${fixed(values.sd ?? NaN, 1)}, min ${fixed(values.min ?? NaN, 1)}, max ${fixed(values.max ?? NaN, 1)}`));
  }
  if (values.areaMm2 !== undefined) parts.push(`area ${fixed(values.areaMm2, 1)} ${areaUnit}`);
  return parts.join('; ');
}

// Greek and Cyrillic letters spelt in Latin (ELOT 743 / ISO 9 simplified), for fonts without them.
const GREEK = 'αa βv γg δd εe ζz ηi θth ιi κk λl μm νn ξx οo πp ρr σs ςs τt υy φf χch ψps ωo';
const CYRILLIC = 'аa бb вv гg дd еe ёyo жzh зz иi йy кk лl мm нn оo пp рr сs тt уu фf хkh цts чch шsh щshch ъ ыy ь эe юyu яya';
const TRANSLITERATION = new Map<string, string>(
  `${GREEK} ${CYRILLIC}`
    .split(' ')
    .flatMap((pair) => {
      const [letter, latin] = [pair[0]!, pair.slice(1)];
      const upper = letter.toUpperCase();
      return [
        [letter, latin],
        [upper, latin.charAt(0).toUpperCase() + latin.slice(1)],
      ] as [string, string][];
    }),
);

/**
 * Text for a font that can encode only some characters (the PDF standard fonts: WinAnsi). Accented
 * letters outside it lose their accents, Greek and Cyrillic are transliterated, anything else (CJK,
 * Arabic, Hebrew...) becomes "?", so a name never crashes the writer and the change is visible:
 * `changed` says that the printed text is not the original.
 */
export function encodableText(text: string, canEncode: (codePoint: number) => boolean): { text: string; changed: boolean } {
  let changed = false;
  let out = '';
  for (const char of text.normalize('NFC')) {
    const code = char.codePointAt(0)!;
    if (char === '\n' || canEncode(code)) {
      out += char;
      continue;
    }
    changed = true;
    const base = char.normalize('NFD').replace(/\p{M}/gu, '');
    if (base && [...base].every((c) => canEncode(c.codePointAt(0)!))) out += base;
    else out += TRANSLITERATION.get(char) ?? TRANSLITERATION.get(base) ?? '?';
  }
  return { text: out, changed };
}
