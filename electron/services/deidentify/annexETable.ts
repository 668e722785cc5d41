import { z } from 'zod';
import type { DeidentificationOptions } from '../../../shared/domain/deidentification';
import table from './annexE.json' with { type: 'json' };

/**
 * PS3.15 Table E.1-1 (kept as data in annexE.json, with its source) and how one row's action code is
 * chosen for the options in force. PS3.15 E.1.1 defines the codes:
 * D dummy value, Z zero length or dummy, X remove, K keep, C clean, U replace UID consistently;
 * compounds (X/Z, X/D, X/Z/D, Z/D, X/Z/U*) leave the choice to what the IOD requires.
 */

export const ActionCodeSchema = z.enum(['D', 'Z', 'X', 'K', 'C', 'U', 'X/Z', 'X/D', 'X/Z/D', 'Z/D', 'X/Z/U*']);
export type ActionCode = z.infer<typeof ActionCodeSchema>;

const OptionColumnSchema = z.enum([
  'rtnSafePrivOpt',
  'rtnUIDsOpt',
  'rtnDevIdOpt',
  'rtnInstIdOpt',
  'rtnPatCharsOpt',
  'rtnLongFullDatesOpt',
  'rtnLongModifDatesOpt',
  'cleanDescOpt',
  'cleanStructContOpt',
  'cleanGraphOpt',
]);
export type OptionColumn = z.infer<typeof OptionColumnSchema>;

const TagPatternSchema = z.string().regex(/^\(([0-9A-FX]{4}),([0-9A-FX]{4})\)$|^\(GGGG,EEEE\) where GGGG is odd$/);

export const AnnexETableSchema = z
  .object({
    source: z.string().min(1),
    columns: z.tuple([z.literal('tag'), z.literal('name'), z.literal('basicProfile'), z.literal('options')]),
    rows: z.array(z.tuple([TagPatternSchema, z.string().min(1), ActionCodeSchema, z.partialRecord(OptionColumnSchema, ActionCodeSchema)])).min(1),
  })
  .strict();

export interface AnnexERow {
  /** As the standard prints it: (0010,0010), (60XX,3000), (GGGG,EEEE) where GGGG is odd. */
  tag: string;
  name: string;
  basicProfile: ActionCode;
  options: Partial<Record<OptionColumn, ActionCode>>;
}

export interface AnnexETable {
  readonly source: string;
  readonly rows: readonly AnnexERow[];
  /** The row for a data element tag (group << 16 | element), wildcards included; private tags excluded. */
  rowFor(tag: number): AnnexERow | undefined;
  /** The private attributes row. */
  readonly privateRow: AnnexERow;
}

interface WildcardRow {
  mask: number;
  value: number;
  row: AnnexERow;
}

export function annexETableFrom(data: unknown): AnnexETable {
  const parsed = AnnexETableSchema.parse(data);
  const rows: AnnexERow[] = parsed.rows.map(([tag, name, basicProfile, options]) => ({ tag, name, basicProfile, options }));
  const exact = new Map<number, AnnexERow>();
  const wildcards: WildcardRow[] = [];
  let privateRow: AnnexERow | undefined;
  for (const row of rows) {
    const m = /^\(([0-9A-FX]{4}),([0-9A-FX]{4})\)$/.exec(row.tag);
    if (!m) {
      privateRow = row;
      continue;
    }
    const hex = `${m[1]}${m[2]}`;
    if (!hex.includes('X')) {
      exact.set(Number.parseInt(hex, 16) >>> 0, row);
      continue;
    }
    // An X stands for any hex digit: compare the other digits under a mask.
    const mask = Number.parseInt([...hex].map((c) => (c === 'X' ? '0' : 'F')).join(''), 16) >>> 0;
    const value = Number.parseInt(hex.replaceAll('X', '0'), 16) >>> 0;
    wildcards.push({ mask, value, row });
  }
  if (!privateRow) throw new Error('annexE.json has no private attributes row');
  const foundPrivateRow = privateRow;
  return {
    source: parsed.source,
    rows,
    privateRow: foundPrivateRow,
    rowFor(tag: number): AnnexERow | undefined {
      const row = exact.get(tag >>> 0);
      if (row) return row;
      // Repeating groups (50xx, 60xx) are even groups only: odd groups are private (PS3.5 7.6).
      if (((tag >>> 16) & 1) === 1) return undefined;
      return wildcards.find((w) => ((tag & w.mask) >>> 0) === w.value)?.row;
    },
  };
}

export const annexE: AnnexETable = annexETableFrom(table);

/** The option columns that the chosen options switch on. */
export function activeOptionColumns(options: DeidentificationOptions): OptionColumn[] {
  const columns: OptionColumn[] = [];
  if (options.retainLongitudinalModifiedDates) columns.push('rtnLongModifDatesOpt');
  if (options.retainPatientCharacteristics) columns.push('rtnPatCharsOpt');
  if (options.cleanDescriptors) columns.push('cleanDescOpt');
  if (options.retainDeviceIdentity) columns.push('rtnDevIdOpt');
  if (options.retainUids) columns.push('rtnUIDsOpt');
  return columns;
}

/**
 * The row's action under the options in force. An option's column overrides the basic profile
 * (PS3.15 E.1.1); where two chosen options both name the attribute (Allergies under Retain Patient
 * Characteristics and Clean Descriptors, Device UID under Retain UIDs and Retain Device Identity) the
 * one that retains more wins: K before C before anything else, since the user asked for both.
 */
export function resolveAction(row: AnnexERow, columns: readonly OptionColumn[]): ActionCode {
  const chosen = columns.map((c) => row.options[c]).filter((a): a is ActionCode => a !== undefined);
  if (chosen.includes('K')) return 'K';
  if (chosen.includes('C')) return 'C';
  return chosen[0] ?? row.basicProfile;
}

/** What is done to one element; 'U*' keeps a reference sequence and replaces the UIDs inside it. */
export type ConcreteAction = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U' | 'U*';

/**
 * The compound codes resolved without per-IOD tables, by a rule that is valid for every IOD
 * (see README.md):
 * - X/Z -> Z: an empty value satisfies Type 2 and Type 3 alike, and an X/Z attribute is never Type 1.
 * - X/D, Z/D, X/Z/D on a value -> D: a dummy satisfies Type 1, 2 and 3 and carries nothing of the original.
 * - X/D, Z/D, X/Z/D on a sequence -> Z (no items): a dummy item would need invented content; the
 *   sequences concerned (Institution Code, Operator Identification, Referenced Performed Procedure Step)
 *   are Type 2 or 3 in the IODs Lumen exports.
 * - X/Z/U* -> U*: keep the references (Referenced Image, Source Image) with every UID replaced, so the
 *   de-identified objects still point at each other.
 */
export function concreteAction(code: ActionCode, isSequence: boolean): ConcreteAction {
  switch (code) {
    case 'X/Z':
      return 'Z';
    case 'X/D':
    case 'Z/D':
    case 'X/Z/D':
      return isSequence ? 'Z' : 'D';
    case 'X/Z/U*':
      return 'U*';
    default:
      return code;
  }
}
