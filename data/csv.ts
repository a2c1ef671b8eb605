import { open, readFile } from 'node:fs/promises';
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

/**
 * DuckDB's CSV reader turns an unparseable TIMESTAMPTZ into NULL instead of a reject, and would read
 * a timestamp without offset in the session's time zone. Timestamps are therefore read as text and
 * checked here: an explicit offset is required for TIMESTAMPTZ, and the cast must succeed.
 */
const TIMESTAMP_CHECKS: Partial<Record<CsvColumnType, { pattern: string; what: string }>> = {
  TIMESTAMPTZ: { pattern: '^\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([+-]\\d{2}(:?\\d{2})?|Z)$', what: 'timestamp with a UTC offset (e.g. 2021-11-28 20:00:49-05:00)' },
  TIMESTAMP: { pattern: '^\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?$', what: 'timestamp without offset (e.g. 2021-12-05 01:50:36.504518)' },
};

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

function pickLayout(file: string, header: string, layouts: readonly CsvLayout[]): CsvLayout {
  const fields = header.split(',');
  const exact = layouts.find((l) => l.columns.length === fields.length && l.columns.every((c, i) => c.header === fields[i]));
  if (exact) return exact;
  // Name the first column that differs from the closest layout (same field count first).
  const closest = layouts.find((l) => l.columns.length === fields.length) ?? layouts[0];
  const expected = closest.columns.map((c) => c.header);
  const i = expected.findIndex((h, k) => h !== fields[k]);
  const allowed = layouts.map((l) => `${l.name}: ${JSON.stringify(l.columns.map((c) => c.header).join(','))}`).join('; ');
  const col = i < 0 ? `#${expected.length + 1}` : `#${i + 1}`;
  throw new CsvFormatError(
    file, 1, col, i < 0 ? (fields[expected.length] ?? '') : (fields[i] ?? ''),
    `unexpected header${i < 0 ? '' : ` (expected ${JSON.stringify(expected[i])})`}; accepted layouts are ${allowed}`,
  );
}

/**
 * Read a CSV through DuckDB with every column's type declared. Any row with the wrong field count
 * or a value that does not cast to its declared type raises a CsvFormatError naming file, line,
 * column and value; no partial result is returned.
 */
export async function readTypedCsv(file: string, layouts: readonly CsvLayout[], orderBy?: string): Promise<TypedCsv> {
  const layout = pickLayout(file, await readHeaderLine(file), layouts);
  const readType = (c: CsvColumn) => (TIMESTAMP_CHECKS[c.type] ? 'VARCHAR' : c.type);
  const columns = layout.columns.map((c) => `${sqlString(c.name)}: ${sqlString(readType(c))}`).join(', ');
  // Timestamp columns are text in csv_rows; cast them (already validated) on the way out.
  const typed = (c: CsvColumn) => (TIMESTAMP_CHECKS[c.type] ? `CAST("${c.name}" AS ${c.type})` : `"${c.name}"`);
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
      if (r.error_type !== 'CAST') {
        throw new CsvFormatError(file, Number(r.line), null, String(r.csv_line), `${String(r.error_message)} (the line has the wrong number of fields)`);
      }
      const column = layout.columns.find((c) => c.name === r.column_name);
      const value = column ? fieldOf(String(r.csv_line), layout.columns.indexOf(column)) : String(r.csv_line);
      const problem = `not a valid ${column?.type ?? 'value'}`;
      throw new CsvFormatError(file, Number(r.line), column ? column.header || column.name : null, value, problem);
    }
    for (const [index, c] of layout.columns.entries()) {
      const check = TIMESTAMP_CHECKS[c.type];
      if (!check) continue;
      const bad = (await con.runAndReadAll(`SELECT "${c.name}" AS v FROM csv_rows WHERE NOT regexp_full_match("${c.name}", ${sqlString(check.pattern)})
        OR TRY_CAST("${c.name}" AS ${c.type}) IS NULL LIMIT 1`)).getRowObjectsJS();
      if (bad.length > 0) {
        const value = String(bad[0].v);
        throw new CsvFormatError(file, await lineOfField(file, index, value), c.header || c.name, value, `not a valid ${check.what}`);
      }
    }
    const rows = (await con.runAndReadAll(`SELECT ${select} FROM csv_rows${orderBy ? ` ORDER BY ${orderBy}` : ''}`)).getRowObjectsJS();
    return { layout: layout.name, rows: rows as Record<string, unknown>[] };
  } finally {
    con.closeSync();
  }
}

function fieldOf(line: string, index: number): string {
  return line.split(',')[index] ?? '';
}

/** The 1-based line of the first data row whose field `index` is `value` (only on the error path). */
async function lineOfField(file: string, index: number, value: string): Promise<number> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const i = lines.findIndex((l, k) => k > 0 && fieldOf(l.replace(/\r$/, ''), index) === value);
  return i + 1;
}
