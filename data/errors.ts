import { DammGymError } from '../env/core/errors.js';

/** A CSV file whose header, a row or a value does not fit the declared schema. */
export class CsvFormatError extends DammGymError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: string | null,
    readonly value: string | null,
    readonly problem: string,
  ) {
    const where = `${file}:${line}${column === null ? '' : ` column "${column}"`}`;
    super(`${where}: ${problem}${value === null ? '' : ` (value ${JSON.stringify(value)})`}`);
  }
}

/** Two rows that claim to be the same on-chain record but disagree. */
export class ConflictingDuplicateError extends DammGymError {}

/** A curve record no v1 admin instruction could have written (e.g. peg and sqrt_k changed together). */
export class UnexpectedCurveRecordError extends DammGymError {}

/** No data directory (or no file in it) where the resolution order says to look. */
export class DataNotFoundError extends DammGymError {}

/** A download that failed or whose bytes are not the pinned upstream file; nothing of it is kept. */
export class DownloadError extends DammGymError {
  constructor(
    readonly url: string,
    readonly expected: string,
    readonly actual: string,
    problem: string,
  ) {
    super(`${url}: ${problem} (expected ${expected}, got ${actual})`);
  }
}
