/**
 * The results table: one row per trial in grid order, as CSV and as Parquet (DuckDB reads the CSV
 * with every column's type declared and COPYs it to Parquet). Both files are written to a temp
 * name and renamed, so a crash leaves the previous table or none, never half of one.
 */
import { readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connectDuckDb, sqlString } from '../../data/duckdb.js';
import { writeFileAtomic } from '../files.js';
import type { TrialRecord } from './journal.js';
import { canonicalJson } from './jsonPath.js';
import type { Column } from './plan.js';

export const RESULTS_CSV = 'results.csv';
export const RESULTS_PARQUET = 'results.parquet';

/** A table row's value for a column (null for a missing or non-finite metric). */
export function cellValue(record: TrialRecord, column: Column): string | number | boolean | null {
  if (column.name === 'trial') return record.index;
  if (column.name === 'seed') return record.seed;
  if (column.name in record.params) {
    const v = record.params[column.name]!;
    if (column.type === 'VARCHAR') return typeof v === 'string' ? v : canonicalJson(v);
    return v as number | boolean;
  }
  const m = record.metrics[column.name];
  return typeof m === 'number' && Number.isFinite(m) ? m : null;
}

function csvCell(v: string | number | boolean | null): string {
  if (v === null) return '';
  if (typeof v !== 'string') return String(v);
  return /[",\n\r]/.test(v) || v === '' ? `"${v.replaceAll('"', '""')}"` : v;
}

/** The table as CSV text: a header line, then the records sorted by trial index. */
export function resultsCsv(columns: readonly Column[], records: readonly TrialRecord[]): string {
  const sorted = [...records].sort((a, b) => a.index - b.index);
  const lines = [columns.map((c) => csvCell(c.name)).join(',')];
  for (const r of sorted) lines.push(columns.map((c) => csvCell(cellValue(r, c))).join(','));
  return `${lines.join('\n')}\n`;
}

/** Write `results.csv` and `results.parquet` under `dir`; returns their paths. */
export async function writeResultsTable(dir: string, columns: readonly Column[], records: readonly TrialRecord[]): Promise<{ csv: string; parquet: string }> {
  const csv = join(dir, RESULTS_CSV);
  const parquet = join(dir, RESULTS_PARQUET);
  // temp files of a run killed while writing the table
  for (const f of readdirSync(dir)) if (/^results\.(csv|parquet)\.\d+\.tmp$/.test(f)) rmSync(join(dir, f), { force: true });
  writeFileAtomic(csv, resultsCsv(columns, records));
  const tmp = `${parquet}.${process.pid}.tmp`;
  const types = columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ');
  const con = await connectDuckDb();
  try {
    await con.run(
      `COPY (SELECT * FROM read_csv(${sqlString(csv)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', columns = {${types}}))
       TO ${sqlString(tmp)} (FORMAT parquet)`,
    );
    renameSync(tmp, parquet);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  } finally {
    con.closeSync();
  }
  return { csv, parquet };
}
