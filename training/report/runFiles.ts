/** Reading a run directory's files for the report, with errors that name the file and line. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ReportInputError } from './errors.js';

export type JsonRecord = Record<string, unknown>;

export function hasFile(dir: string, name: string): boolean {
  const p = join(dir, name);
  return existsSync(p) && statSync(p).isFile();
}

export function hasDir(dir: string, name: string): boolean {
  const p = join(dir, name);
  return existsSync(p) && statSync(p).isDirectory();
}

export function readJson(dir: string, name: string): JsonRecord {
  const path = join(dir, name);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ReportInputError(`${path}: not valid JSON (${(e as Error).message}); expected the file damm-gym wrote there`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ReportInputError(`${path}: expected a JSON object`);
  return value as JsonRecord;
}

/** A CSV's rows as header → cell maps; every row must have the header's column count. */
export function readCsv(dir: string, name: string): Record<string, string>[] {
  const path = join(dir, name);
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l !== '');
  if (lines.length === 0) throw new ReportInputError(`${path}: empty; expected a header line and rows`);
  const header = lines[0]!.split(',');
  return lines.slice(1).map((line, i) => {
    const cells = line.split(',');
    if (cells.length !== header.length) {
      throw new ReportInputError(`${path} line ${i + 2}: ${cells.length} columns, expected ${header.length} (${header.join(',')})`);
    }
    return Object.fromEntries(header.map((h, j) => [h, cells[j]!]));
  });
}

/** A numeric column; a cell that is not a number is an error naming file, line and column. */
export function numericColumn(rows: readonly Record<string, string>[], column: string, file: string): number[] {
  return rows.map((r, i) => {
    const cell = r[column];
    const v = Number(cell);
    if (cell === undefined || cell === '' || !Number.isFinite(v)) {
      throw new ReportInputError(`${file} line ${i + 2}, column ${column}: ${JSON.stringify(cell)} is not a finite number`);
    }
    return v;
  });
}
