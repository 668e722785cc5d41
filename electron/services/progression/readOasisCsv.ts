import { LumenError } from '../../../shared/domain/errors';

/** One CSV data row by column name, with its 1-based line number for error messages. */
export interface CsvRow {
  line: number;
  values: Readonly<Record<string, string>>;
}

/**
 * Splits CSV text into records (RFC 4180: quoted fields may hold commas, doubled quotes and newlines).
 * Small and dependency-free because visit tables are a few thousand rows at most.
 */
function parseRecords(text: string): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // spreadsheet exports add a BOM
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      fields.push(field);
      records.push({ fields, line: recordLine });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else field += c;
  }
  if (quoted) throw new LumenError('PROGRESSION_BAD_CSV', `The CSV has an unterminated quoted field (line ${recordLine}).`);
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ fields, line: recordLine });
  }
  // Blank lines carry no visit.
  return records.filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim() === ''));
}

/** Parses visit-table CSV text (header row first). Missing header columns are checked by the caller. */
export function readOasisCsv(text: string): { columns: string[]; rows: CsvRow[] } {
  const records = parseRecords(text);
  const header = records.shift();
  if (!header) throw new LumenError('PROGRESSION_BAD_CSV', 'The CSV is empty.');
  const columns = header.fields.map((c) => c.trim());
  const rows = records.map(({ fields, line }) => {
    const values: Record<string, string> = {};
    columns.forEach((col, j) => {
      values[col] = fields[j] ?? '';
    });
    return { line, values };
  });
  return { columns, rows };
}
