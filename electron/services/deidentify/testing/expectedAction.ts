import type { DeidentificationOptionsInput } from '../../../../shared/domain/deidentification';
import table from '../annexE.json' with { type: 'json' };

/**
 * For tests only: what PS3.15 Table E.1-1 (read here as plain data, not through the module under test)
 * says should happen to an attribute under the chosen options, restated from PS3.15 E.1.1 and the
 * compound-code rule in README.md.
 */

export type TableRow = [string, string, string, Record<string, string>];
export const tableRows = table.rows as TableRow[];

const OPTION_COLUMNS: Record<string, keyof DeidentificationOptionsInput> = {
  rtnLongModifDatesOpt: 'retainLongitudinalModifiedDates',
  rtnPatCharsOpt: 'retainPatientCharacteristics',
  cleanDescOpt: 'cleanDescriptors',
  rtnDevIdOpt: 'retainDeviceIdentity',
  rtnUIDsOpt: 'retainUids',
};

/** The row's code under the options: a chosen option's column wins, K before C before the rest. */
export function expectedCode(row: TableRow, options: DeidentificationOptionsInput): string {
  const chosen = Object.entries(row[3])
    .filter(([column]) => OPTION_COLUMNS[column] && options[OPTION_COLUMNS[column]!])
    .map(([, code]) => code);
  if (chosen.includes('K')) return 'K';
  if (chosen.includes('C')) return 'C';
  return chosen[0] ?? row[2];
}

/** Compound codes as README.md resolves them: X/Z -> Z; X/D, Z/D, X/Z/D -> D (Z for sequences); X/Z/U* -> U*. */
export function concreteCode(code: string, isSequence: boolean): string {
  if (code === 'X/Z') return 'Z';
  if (code === 'X/D' || code === 'Z/D' || code === 'X/Z/D') return isSequence ? 'Z' : 'D';
  if (code === 'X/Z/U*') return 'U*';
  return code;
}

/** The row for an exact tag given as 8 hex digits (wildcard rows for 50xx/60xx groups). */
export function rowForHex(tagHex: string): TableRow | undefined {
  const punctuated = `(${tagHex.slice(0, 4)},${tagHex.slice(4)})`.toUpperCase();
  return (
    tableRows.find((r) => r[0] === punctuated) ??
    tableRows.find((r) => {
      const m = /^\(([0-9A-FX]{4}),([0-9A-FX]{4})\)$/.exec(r[0]);
      return m && [...`${m[1]}${m[2]}`].every((c, i) => c === 'X' || c === punctuated.replace(/[(),]/g, '')[i]);
    })
  );
}
