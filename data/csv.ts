import { open, readFile } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { connectDuckDb, sqlString } from './duckdb.js';
import { CsvFormatError, DataNotFoundError } from './errors.js';

/** DuckDB types we declare for CSV columns; never let the sniffer guess (it turns values above 2^63 into lossy doubles). */
export type CsvColumnType = 'VARCHAR' | 'BIGINT' | 'UBIGINT' | 'HUGEINT' | 'UHUGEINT' | 'DOUBLE' | 'BOOLEAN' | 'TIMESTAMP' | 'TIMESTAMPTZ';

export interface CsvColumn {
  /** Name in the file's header ('' for pandas' unnamed index column). */
  readonly header: string;
  /** Name we give the column in SQL and in the returned rows. */
  readonly name: string;
  readonly type: CsvColumnType;
  /** SQL expression over `"name"` that converts the value on the way out, e.g. `epoch("ts")::BIGINT`. */
  readonly select?: string;
  /** For VARCHAR columns holding an enum: the only texts accepted (anything else is a CsvFormatError naming them). */
  readonly allowed?: readonly string[];
}

/** One accepted header layout of a file. */
export interface CsvLayout {
  readonly name: string;
  readonly columns: readonly CsvColumn[];
}

export interface TypedCsv {
  readonly layout: string;
  readonly rows: Record<string, unknown>[];
}

// Empty fields must fail the typed cast (and so reach the rejects table with their line), not become NULL.
const NO_NULL_STRING = '\u0001<null>\u0001';

interface TextCheck {
  readonly pattern: string;
  readonly what: string;
}

/**
 * Columns read as text and checked here before the cast, because DuckDB's CSV casts are lenient where
 * exactness matters: an integer column accepts "2.5" (rounded to 3), "2.0727e+20" (a float that has
 * already lost digits), " 7", "+8" and "1_000"; an unparseable TIMESTAMPTZ becomes NULL instead of a
 * reject; a timestamp without offset would be read in the session's time zone. Integers must be plain
 * decimal digits (a leading minus only for signed types) and fit the type; TIMESTAMPTZ needs an offset.
 */
const TEXT_CHECKS: Partial<Record<CsvColumnType, TextCheck>> = {
  BIGINT: { pattern: '^-?[0-9]+$', what: 'signed 64-bit integer (decimal digits, optional leading minus)' },
  UBIGINT: { pattern: '^[0-9]+$', what: 'unsigned 64-bit integer (decimal digits only)' },
  HUGEINT: { pattern: '^-?[0-9]+$', what: 'signed 128-bit integer (decimal digits, optional leading minus)' },
  UHUGEINT: { pattern: '^[0-9]+$', what: 'unsigned 128-bit integer (decimal digits only)' },
  TIMESTAMPTZ: { pattern: '^\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([+-]\\d{2}(:?\\d{2})?|Z)$', what: 'timestamp with a UTC offset (e.g. 2021-11-28 20:00:49-05:00)' },
  TIMESTAMP: { pattern: '^\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?$', what: 'timestamp without offset (e.g. 2021-12-05 01:50:36.504518)' },
};

/** The SQL condition a column's text must meet, and what to call a value that does not. */
function checkOf(c: CsvColumn): { sql: string; what: string } | null {
  const text = TEXT_CHECKS[c.type];
  if (text) return { sql: `(regexp_full_match("${c.name}", ${sqlString(text.pattern)}) AND TRY_CAST("${c.name}" AS ${c.type}) IS NOT NULL)`, what: `not a valid ${text.what}` };
  if (c.allowed) return { sql: `"${c.name}" IN (${c.allowed.map(sqlString).join(', ')})`, what: `not one of the allowed values ${c.allowed.map((a) => JSON.stringify(a)).join(', ')}` };
  return null;
}

async function readHeaderLine(file: string): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw new DataNotFoundError(`cannot open ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    const end = text.indexOf('\n');
    if (end < 0 && bytesRead === buf.length) throw new CsvFormatError(file, 1, null, null, 'header line longer than 64 KiB');
    return (end < 0 ? text : text.slice(0, end)).replace(/\r$/, '');
  } finally {
    await handle.close();
  }
}

/** The header fields of a CSV file (for files whose columns are data, e.g. one column per market). */
export async function readCsvHeader(file: string): Promise<string[]> {
  return (await readHeaderLine(file)).split(',');
}

/**
 * The layout the header matches. Otherwise name the first position where it departs from the closest
 * layout (fewest missing plus unexpected names), saying whether a column is missing or unexpected.
 */
function pickLayout(file: string, header: string, layouts: readonly CsvLayout[]): CsvLayout {
  const fields = header.split(',');
  const exact = layouts.find((l) => l.columns.length === fields.length && l.columns.every((c, i) => c.header === fields[i]));
  if (exact) return exact;
  const distance = (l: CsvLayout) => {
    const names = l.columns.map((c) => c.header);
    return names.filter((h) => !fields.includes(h)).length + fields.filter((f) => !names.includes(f)).length;
  };
  const closest = layouts.reduce((best, l) => (distance(l) < distance(best) ? l : best));
  const expected = closest.columns.map((c) => c.header);
  const allowed = layouts.map((l) => `${l.name}: ${JSON.stringify(l.columns.map((c) => c.header).join(','))}`).join('; ');
  const i = expected.findIndex((h, k) => h !== fields[k]);
  if (i < 0) {
    // Every expected column is there, followed by more.
    throw new CsvFormatError(file, 1, `#${expected.length + 1}`, fields[expected.length],
      `unexpected extra column after ${JSON.stringify(expected.at(-1))}; accepted layouts are ${allowed}`);
  }
  const problem = !fields.includes(expected[i])
    ? `column ${JSON.stringify(expected[i])} is missing from the header`
    : `unexpected column where ${JSON.stringify(expected[i])} belongs`;
  throw new CsvFormatError(file, 1, expected[i] === '' ? `#${i + 1}` : expected[i], fields[i] ?? '', `${problem}; accepted layouts are ${allowed}`);
}

/**
 * A file cut short mid-line can still parse (a number missing its last digits is still a number), so a
 * last line without its newline is refused: every flat-data CSV ends with "\n". Names the last column
 * and the value it ends with.
 */
async function checkEndsWithNewline(file: string, layout: CsvLayout): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const last = Buffer.alloc(1);
    if (size === 0 || ((await handle.read(last, 0, 1, size - 1)).bytesRead === 1 && last[0] === 0x0a)) return;
  } finally {
    await handle.close();
  }
  const text = await readFile(file, 'utf8');
  const lines = text.split('\n');
  const last = lines[lines.length - 1];
  const fields = last.split(',');
  const column = layout.columns[Math.min(fields.length, layout.columns.length) - 1];
  throw new CsvFormatError(file, lines.length, column.header || column.name, fields.at(-1) ?? '',
    'the last line has no terminating newline, so the file looks truncated (complete files end with "\\n"); re-download or re-export it');
}

/**
 * Read a CSV through DuckDB with every column's type declared. Any row with the wrong field count
 * or a value that does not cast to its declared type raises a CsvFormatError naming file, line,
 * column and value; no partial result is returned.
 */
export async function readTypedCsv(file: string, layouts: readonly CsvLayout[], orderBy?: string): Promise<TypedCsv> {
  const layout = pickLayout(file, await readHeaderLine(file), layouts);
  const readType = (c: CsvColumn) => (TEXT_CHECKS[c.type] ? 'VARCHAR' : c.type);
  const columns = layout.columns.map((c) => `${sqlString(c.name)}: ${sqlString(readType(c))}`).join(', ');
  // Checked columns are text in csv_rows; cast them (already validated) on the way out.
  const typed = (c: CsvColumn) => (TEXT_CHECKS[c.type] ? `CAST("${c.name}" AS ${c.type})` : `"${c.name}"`);
  const select = layout.columns
    .map((c) => `${c.select ? c.select.replaceAll(`"${c.name}"`, typed(c)) : typed(c)} AS "${c.name}"`).join(', ');
  const con = await connectDuckDb();
  try {
    const source = `read_csv(${sqlString(file)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
      nullstr = ${sqlString(NO_NULL_STRING)}, columns = {${columns}}, store_rejects = true)`;
    await con.run(`CREATE TEMP TABLE csv_rows AS SELECT * FROM ${source}`);
    const rejects = (await con.runAndReadAll(
      'SELECT line, column_name, error_type, csv_line, error_message FROM reject_errors ORDER BY line LIMIT 1',
    )).getRowObjectsJS();
    if (rejects.length > 0) {
      const r = rejects[0];
      if (r.error_type !== 'CAST') throw fieldCountError(file, layout, Number(r.line), String(r.csv_line));
      const column = layout.columns.find((c) => c.name === r.column_name);
      const value = column ? fieldOf(String(r.csv_line), layout.columns.indexOf(column)) : String(r.csv_line);
      const problem = `not a valid ${column?.type ?? 'value'}`;
      throw new CsvFormatError(file, Number(r.line), column ? column.header || column.name : null, value, problem);
    }
    await checkColumnTexts(con, file, layout);
    await checkEndsWithNewline(file, layout);
    const rows = (await con.runAndReadAll(`SELECT ${select} FROM csv_rows${orderBy ? ` ORDER BY ${orderBy}` : ''}`)).getRowObjectsJS();
    return { layout: layout.name, rows: rows as Record<string, unknown>[] };
  } finally {
    con.closeSync();
  }
}

/** A line with too few or too many fields: name the first missing (or the first extra) column. */
function fieldCountError(file: string, layout: CsvLayout, line: number, text: string): CsvFormatError {
  const found = text.split(',').length;
  const expected = layout.columns.length;
  if (found < expected) {
    const missing = layout.columns[found];
    return new CsvFormatError(file, line, missing.header || missing.name, text,
      `wrong number of fields (${found} of ${expected}): column ${JSON.stringify(missing.header)} and after are missing (a truncated line or a dropped column)`);
  }
  return new CsvFormatError(file, line, `#${expected + 1}`, text, `wrong number of fields (${found}, ${expected} expected): a stray comma or an extra column`);
}

function fieldOf(line: string, index: number): string {
  return line.split(',')[index] ?? '';
}

/**
 * Check every text-checked column in one pass; if any fails, report the earliest offending line (the
 * leftmost column on it). DuckDB names the bad values, the file scan finds their first line.
 */
async function checkColumnTexts(con: DuckDBConnection, file: string, layout: CsvLayout): Promise<void> {
  const checks = layout.columns.map((c, index) => ({ c, index, check: checkOf(c) })).filter((x) => x.check !== null);
  if (checks.length === 0) return;
  const ok = (await con.runAndReadAll(`SELECT ${checks.map((x, k) => `bool_and(${x.check!.sql}) AS ok${k}`).join(', ')} FROM csv_rows`)).getRowObjectsJS()[0];
  const failing = checks.filter((_, k) => ok[`ok${k}`] === false);
  if (failing.length === 0) return;
  const lines = (await readFile(file, 'utf8')).split('\n');
  let first: { line: number; index: number; value: string; column: CsvColumn; what: string } | null = null;
  for (const { c, index, check } of failing) {
    const bad = new Set((await con.runAndReadAll(`SELECT DISTINCT "${c.name}" AS v FROM csv_rows WHERE NOT ${check!.sql} LIMIT 10000`))
      .getRowObjectsJS().map((r) => String(r.v)));
    const i = lines.findIndex((l, k) => k > 0 && l.trim() !== '' && bad.has(fieldOf(l.replace(/\r$/, ''), index)));
    const line = i + 1;
    if (first === null || line < first.line || (line === first.line && index < first.index)) {
      first = { line, index, value: fieldOf(lines[i].replace(/\r$/, ''), index), column: c, what: check!.what };
    }
  }
  throw new CsvFormatError(file, first!.line, first!.column.header || first!.column.name, first!.value, first!.what);
}
