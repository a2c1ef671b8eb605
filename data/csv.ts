import { open } from 'node:fs/promises';
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
  /** SQL expression (over `name`) that converts the value on the way out, e.g. `epoch(ts)::BIGINT`. */
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
  const columns = layout.columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ');
  const select = layout.columns.map((c) => (c.select ? `${c.select} AS "${c.name}"` : `"${c.name}"`)).join(', ');
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
      const colName = typeof r.column_name === 'string' ? r.column_name : null;
      const column = layout.columns.find((c) => c.name === colName);
      const value = column ? fieldOf(String(r.csv_line), layout.columns.indexOf(column)) : String(r.csv_line);
      const problem = r.error_type === 'CAST'
        ? `not a valid ${column?.type ?? 'value'}`
        : `${String(r.error_message)} (line has the wrong number of fields)`;
      throw new CsvFormatError(file, Number(r.line), column ? column.header || column.name : null, value, problem);
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
