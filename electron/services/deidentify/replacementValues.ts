/**
 * New values that the de-identifier writes: dummy values by VR (action D), shifted dates (action C under
 * Retain Longitudinal Temporal Information with Modified Dates) and descriptors cleaned of identifiers
 * (action C under Clean Descriptors). Everything written is ASCII, which is valid in every Specific
 * Character Set, ISO 2022 ones included (each value starts in the default G0, PS3.5 6.1.2.5.3).
 */

/** A text value padded to even length (PS3.5 6.2: UI with NUL, other strings with space). */
export function encodeText(text: string, vr: string): Uint8Array {
  const padded = text.length % 2 === 0 ? text : text + (vr === 'UI' ? '\0' : ' ');
  return new Uint8Array(Buffer.from(padded, 'latin1'));
}

const TEXT_DUMMY = 'ANONYMIZED';

/**
 * A dummy value of the VR (PS3.15 E.1.1 "D"): no identifying content, valid for the VR, and for binary
 * VRs the same length as the original so the value multiplicity is kept. UIDs are not dummied here:
 * the caller replaces them through the session's UID map so that references stay consistent.
 */
export function dummyValue(vr: string, original: Uint8Array): Uint8Array {
  switch (vr) {
    case 'PN':
      // Family^Given: a name without a component separator is the retired PN form (dciodvfy warns).
      return encodeText('ANONYMIZED^PERSON', vr);
    case 'LO':
    case 'SH':
    case 'ST':
    case 'LT':
    case 'UT':
    case 'UC':
    case 'CS':
    case 'AE':
      return encodeText(TEXT_DUMMY, vr);
    case 'DA':
      return encodeText('19000101', vr);
    case 'DT':
      return encodeText('19000101000000', vr);
    case 'TM':
      return encodeText('000000', vr);
    case 'AS':
      return encodeText('000Y', vr);
    case 'DS':
    case 'IS':
      return encodeText('0', vr);
    case 'UR':
      return encodeText('urn:anonymized', vr);
    default:
      return new Uint8Array(original.length);
  }
}

const DAY_MS = 86_400_000;

function shiftYmd(ymd: string, days: number): string | null {
  const m = /^(\d{4})(\d{2})?(\d{2})?$/.exec(ymd);
  if (!m) return null;
  const [, y, mo, d] = m;
  const time = Date.UTC(Number(y), Number(mo ?? '01') - 1, Number(d ?? '01')) + days * DAY_MS;
  const shifted = new Date(time).toISOString().slice(0, 10).replaceAll('-', '');
  // Keep the precision the source had (a DT may be only YYYY or YYYYMM, PS3.5 Table 6.2-1).
  return shifted.slice(0, ymd.length);
}

/**
 * Shifts every date in a DA or DT value by whole days (backslash-separated values and A-B ranges
 * included). Times of day, fractions and UTC offsets are kept: a whole-day shift does not move them.
 * A value that is not a date (damaged) becomes the dummy date, so nothing unparsed survives.
 */
export function shiftDates(vr: 'DA' | 'DT', original: Uint8Array, days: number): Uint8Array {
  const text = Buffer.from(original).toString('latin1').replace(/[\0 ]+$/, '').trim();
  if (text === '') return new Uint8Array(0);
  const values = text.split('\\').map((value) =>
    value
      .split('-')
      .map((part) => {
        if (part === '') return part;
        // ACR-NEMA dates were YYYY.MM.DD; read them, write the current form.
        const clean = vr === 'DA' ? part.replaceAll('.', '') : part;
        const datePart = vr === 'DA' ? clean : /^\d{4,8}/.exec(clean)?.[0] ?? '';
        const shifted = shiftYmd(datePart.length >= 8 ? datePart.slice(0, 8) : datePart, days);
        if (shifted === null || datePart.length === 0) return vr === 'DA' ? '19000101' : '19000101000000';
        return shifted + clean.slice(Math.min(datePart.length, 8));
      })
      .join('-'),
  );
  return encodeText(values.join('\\'), vr);
}

function lowerAscii(byte: number): number {
  return byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte;
}

/**
 * Clean (action C) for descriptors: the value is kept but every occurrence of the object's own identifying
 * values (names and their components, IDs, accession number, birth date), compared as bytes in the
 * object's character set and ASCII case-insensitively, is overwritten with 'X'. Free text can still hold
 * identifiers the object does not repeat elsewhere; that residual risk is why the option is off by default.
 */
export function redactIdentifiers(value: Uint8Array, identifiers: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(value);
  for (const id of identifiers) {
    if (id.length === 0 || id.length > out.length) continue;
    for (let i = 0; i + id.length <= out.length; i++) {
      let match = true;
      for (let j = 0; j < id.length; j++) {
        if (lowerAscii(out[i + j]!) !== lowerAscii(id[j]!)) {
          match = false;
          break;
        }
      }
      if (match) {
        out.fill(0x58, i, i + id.length);
        i += id.length - 1;
      }
    }
  }
  return out;
}
