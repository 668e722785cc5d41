/**
 * Specific Character Set (0008,0005): how the bytes of SH, LO, UC, ST, LT, UT and PN values become text
 * (PS3.3 C.12.1.1.2, PS3.5 section 6.1). Two kinds of value:
 * - one term without code extensions (ISO_IR 100, ISO_IR 192, GB18030...): one decoder for all bytes;
 * - ISO 2022 terms (ISO 2022 IR 87, IR 149...): escape sequences switch the G0 and G1 code elements
 *   inside a value, and the first term's designation returns at every delimiter (PS3.5 6.1.2.5.3).
 * Node's TextDecoder carries full ICU, which supplies euc-jp, euc-kr, gbk, gb18030 and iso-8859-x.
 */

/** How the text of one element is decoded; `delimiters` are the bytes that reset ISO 2022 state. */
export interface CharacterSet {
  readonly terms: readonly string[];
  decode(bytes: Uint8Array, delimiters: ReadonlySet<number>): string;
}

type G0 = 'ascii' | 'jisRoman' | 'jisx0208' | 'jisx0212';
type G1 = 'katakana' | 'ksx1001' | 'gb2312' | { singleByte: string } | null;

interface Designation {
  g0: G0;
  g1: G1;
}

const decoders = new Map<string, TextDecoder>();
function textDecoder(label: string): TextDecoder {
  let decoder = decoders.get(label);
  if (!decoder) {
    decoder = new TextDecoder(label);
    decoders.set(label, decoder);
  }
  return decoder;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/**
 * Terms without code extensions (PS3.3 Table C.12-2, C.12-4, C.12-5). WHATWG maps the iso-8859-1 label to
 * windows-1252, so ISO_IR 100 and the default repertoire decode through Buffer's true latin1.
 */
const SINGLE_TERM_ENCODINGS: Record<string, string> = {
  'ISO_IR 6': 'latin1',
  'ISO_IR 100': 'latin1',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'iso-8859-9',
  'ISO_IR 203': 'iso-8859-15',
  'ISO_IR 166': 'windows-874',
  // JIS X 0201: romaji in the low half, half-width katakana at 0xA1-0xDF, as in Shift_JIS.
  'ISO_IR 13': 'shift_jis',
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/** ISO 2022 terms: the G0/G1 designation each one starts with (PS3.3 Table C.12-3, C.12-4). */
const ISO2022_INITIAL: Record<string, Partial<Designation>> = {
  'ISO 2022 IR 6': { g0: 'ascii' },
  'ISO 2022 IR 100': { g1: { singleByte: 'latin1' } },
  'ISO 2022 IR 101': { g1: { singleByte: 'iso-8859-2' } },
  'ISO 2022 IR 109': { g1: { singleByte: 'iso-8859-3' } },
  'ISO 2022 IR 110': { g1: { singleByte: 'iso-8859-4' } },
  'ISO 2022 IR 144': { g1: { singleByte: 'iso-8859-5' } },
  'ISO 2022 IR 127': { g1: { singleByte: 'iso-8859-6' } },
  'ISO 2022 IR 126': { g1: { singleByte: 'iso-8859-7' } },
  'ISO 2022 IR 138': { g1: { singleByte: 'iso-8859-8' } },
  'ISO 2022 IR 148': { g1: { singleByte: 'iso-8859-9' } },
  'ISO 2022 IR 203': { g1: { singleByte: 'iso-8859-15' } },
  'ISO 2022 IR 166': { g1: { singleByte: 'windows-874' } },
  'ISO 2022 IR 13': { g0: 'jisRoman', g1: 'katakana' },
  'ISO 2022 IR 87': { g0: 'jisx0208' },
  'ISO 2022 IR 159': { g0: 'jisx0212' },
  'ISO 2022 IR 149': { g1: 'ksx1001' },
  'ISO 2022 IR 58': { g1: 'gb2312' },
};

/** Escape sequences (without the ESC byte) and what they designate (PS3.3 Table C.12-3 to C.12-5). */
const ESCAPES: ReadonlyArray<[string, Partial<Designation>]> = [
  ['(B', { g0: 'ascii' }],
  ['(J', { g0: 'jisRoman' }],
  ['$B', { g0: 'jisx0208' }],
  ['$@', { g0: 'jisx0208' }],
  ['$(D', { g0: 'jisx0212' }],
  [')I', { g1: 'katakana' }],
  ['$)C', { g1: 'ksx1001' }],
  ['$)A', { g1: 'gb2312' }],
  ['-A', { g1: { singleByte: 'latin1' } }],
  ['-B', { g1: { singleByte: 'iso-8859-2' } }],
  ['-C', { g1: { singleByte: 'iso-8859-3' } }],
  ['-D', { g1: { singleByte: 'iso-8859-4' } }],
  ['-L', { g1: { singleByte: 'iso-8859-5' } }],
  ['-G', { g1: { singleByte: 'iso-8859-6' } }],
  ['-F', { g1: { singleByte: 'iso-8859-7' } }],
  ['-H', { g1: { singleByte: 'iso-8859-8' } }],
  ['-M', { g1: { singleByte: 'iso-8859-9' } }],
  ['-b', { g1: { singleByte: 'iso-8859-15' } }],
  ['-T', { g1: { singleByte: 'windows-874' } }],
];

function decodeSingleByte(label: string, bytes: Uint8Array): string {
  return label === 'latin1' ? latin1(bytes) : textDecoder(label).decode(bytes);
}

/** Decodes a run of bytes that all belong to one code element. */
function decodeRun(set: G0 | G1, run: Uint8Array): string {
  if (set === null || set === 'ascii') return latin1(run);
  if (set === 'jisRoman') return latin1(run).replace(/\\/g, '\u00a5').replace(/~/g, '\u203e');
  if (set === 'jisx0208' || set === 'jisx0212') {
    // 7-bit JIS pairs in G0 are EUC-JP pairs with the high bit cleared; JIS X 0212 takes the SS3 prefix.
    const prefix = set === 'jisx0212' ? 1 : 0;
    const pairs = Math.floor(run.length / 2);
    const euc = new Uint8Array(pairs * (2 + prefix));
    for (let p = 0, o = 0; p < pairs; p++) {
      if (prefix) euc[o++] = 0x8f;
      euc[o++] = run[2 * p]! | 0x80;
      euc[o++] = run[2 * p + 1]! | 0x80;
    }
    return textDecoder('euc-jp').decode(euc);
  }
  if (set === 'katakana') {
    let s = '';
    for (const b of run) s += b >= 0xa1 && b <= 0xdf ? String.fromCharCode(0xff61 + b - 0xa1) : '\ufffd';
    return s;
  }
  if (set === 'ksx1001') return textDecoder('euc-kr').decode(run);
  if (set === 'gb2312') return textDecoder('gbk').decode(run);
  return decodeSingleByte(set.singleByte, run);
}

function matchEscape(bytes: Uint8Array, at: number): [number, Partial<Designation>] | null {
  for (const [seq, designation] of ESCAPES) {
    let ok = at + seq.length < bytes.length;
    for (let k = 0; ok && k < seq.length; k++) ok = bytes[at + 1 + k] === seq.charCodeAt(k);
    if (ok) return [seq.length + 1, designation];
  }
  return null;
}

class Iso2022CharacterSet implements CharacterSet {
  private readonly initial: Designation;
  constructor(readonly terms: readonly string[]) {
    const first = ISO2022_INITIAL[terms[0] === '' ? 'ISO 2022 IR 6' : (terms[0] ?? '')] ?? {};
    this.initial = { g0: first.g0 ?? 'ascii', g1: first.g1 ?? null };
  }

  decode(bytes: Uint8Array, delimiters: ReadonlySet<number>): string {
    let { g0, g1 } = this.initial;
    let out = '';
    let runStart = 0;
    let runHigh = false;
    const flush = (end: number) => {
      if (end > runStart) out += decodeRun(runHigh ? g1 : g0, bytes.subarray(runStart, end));
    };
    const twoByteG0 = () => g0 === 'jisx0208' || g0 === 'jisx0212';
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i]!;
      if (b === 0x1b) {
        flush(i);
        const escape = matchEscape(bytes, i);
        const length = escape ? escape[0] : 1;
        if (escape) ({ g0 = g0, g1 = g1 } = escape[1]);
        i += length;
        runStart = i;
        continue;
      }
      const high = b >= 0x80;
      if (!high && !twoByteG0() && delimiters.has(b)) {
        // PS3.5 6.1.2.5.3: the first term's designation is active again at each delimiter.
        flush(i);
        out += String.fromCharCode(b);
        ({ g0, g1 } = this.initial);
        i += 1;
        runStart = i;
        continue;
      }
      if (high !== runHigh) {
        flush(i);
        runStart = i;
        runHigh = high;
      }
      i += !high && twoByteG0() ? 2 : 1;
    }
    flush(Math.min(i, bytes.length));
    return out;
  }
}

class SingleCharacterSet implements CharacterSet {
  constructor(
    readonly terms: readonly string[],
    private readonly label: string,
  ) {}
  decode(bytes: Uint8Array): string {
    return decodeSingleByte(this.label, bytes);
  }
}

export const DEFAULT_CHARACTER_SET: CharacterSet = new SingleCharacterSet([], 'latin1');

/** The character set a data set (or sequence item) declares; unknown terms fall back to the default. */
export function characterSetFor(value: unknown): CharacterSet {
  const terms = (Array.isArray(value) ? value : [value]).map((t) => (typeof t === 'string' ? t.trim() : ''));
  if (terms.length === 0 || (terms.length === 1 && terms[0] === '')) return DEFAULT_CHARACTER_SET;
  // UTF-8 and GB18030 cannot be combined with code extensions (PS3.3 C.12.1.1.2): they win outright.
  for (const t of terms) if (t === 'ISO_IR 192' || t === 'GB18030' || t === 'GBK') return new SingleCharacterSet(terms, SINGLE_TERM_ENCODINGS[t]!);
  if (terms.length === 1 && SINGLE_TERM_ENCODINGS[terms[0]!]) return new SingleCharacterSet(terms, SINGLE_TERM_ENCODINGS[terms[0]!]!);
  return new Iso2022CharacterSet(terms.map((t) => t.replace(/^ISO_IR /, 'ISO 2022 IR ')));
}
