/**
 * The append-only journal of finished trials (JSON lines): a header naming the sweep's fingerprint,
 * then one line per finished trial with its whole results row. Each line goes out in one write and
 * is fsync'd before the next trial is recorded, so a killed sweep keeps every trial it reported
 * finished; a trial killed mid-way has no line and is run again on `--resume`. A last line cut short
 * by the kill is dropped (and cut off the file) on resume.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Json } from '../../env/core/spaces/space.js';
import { SweepJournalError } from './errors.js';
import { isPlainObject } from './jsonPath.js';

export const JOURNAL_VERSION = 1;

export interface JournalHeader {
  readonly type: 'sweep';
  readonly version: number;
  readonly fingerprint: string;
  readonly config: string;
  readonly trials: number;
}

/** One finished trial as the results table shows it. */
export interface TrialRecord {
  readonly index: number;
  readonly key: string;
  readonly seed: number;
  readonly params: { readonly [column: string]: Json };
  /** Metric values; null where the trial produced a non-finite number. */
  readonly metrics: { readonly [name: string]: number | null };
}

export class Journal {
  private constructor(
    readonly path: string,
    private fd: number,
  ) {}

  /** Start a new journal; fails if one exists (a sweep is never overwritten by accident). */
  static create(path: string, header: JournalHeader): Journal {
    mkdirSync(dirname(path), { recursive: true });
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new SweepJournalError(`${path}: a sweep journal is already there; pass --resume to continue it, or choose another --out`);
      }
      throw err;
    }
    syncDirectory(dirname(path));
    const journal = new Journal(path, fd);
    journal.writeLine(header);
    return journal;
  }

  /**
   * Reopen a journal to continue it: checks the header against this sweep's fingerprint, returns the
   * finished trials by key, and cuts off a last line left incomplete by a kill.
   */
  static resume(path: string, header: JournalHeader): { journal: Journal; finished: Map<string, TrialRecord> } {
    if (!existsSync(path)) return { journal: Journal.create(path, header), finished: new Map() };
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    const tail = lines.pop()!; // '' when the file ends with a newline; else a line cut short
    const keepBytes = Buffer.byteLength(text) - Buffer.byteLength(tail);
    const finished = new Map<string, TrialRecord>();
    lines.forEach((line, i) => {
      const where = `${path}:${i + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        throw new SweepJournalError(`${where}: not a JSON line (${(err as Error).message}); the journal is damaged beyond its last line, start the sweep in a new --out`, { cause: err });
      }
      if (i === 0) {
        checkHeader(value, header, where);
        return;
      }
      const record = toRecord(value, where);
      if (!finished.has(record.key)) finished.set(record.key, record);
    });
    const fd = openSync(path, 'r+');
    if (lines.length === 0) {
      // killed before the header was written: start it afresh
      ftruncateSync(fd, 0);
      const journal = new Journal(path, fd);
      journal.writeLine(header);
      return { journal, finished };
    }
    if (tail !== '') {
      ftruncateSync(fd, keepBytes);
      fsyncSync(fd);
    }
    closeSync(fd);
    return { journal: new Journal(path, openSync(path, 'a')), finished };
  }

  append(record: TrialRecord): void {
    this.writeLine(record);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private writeLine(value: unknown): void {
    const bytes = Buffer.from(`${JSON.stringify(value)}\n`);
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off, null);
    fsyncSync(this.fd);
  }
}

function checkHeader(value: unknown, expected: JournalHeader, where: string): void {
  if (!isPlainObject(value) || value.type !== 'sweep') throw new SweepJournalError(`${where}: not a sweep journal header; start the sweep in a new --out`);
  if (value.version !== JOURNAL_VERSION) throw new SweepJournalError(`${where}: journal version ${String(value.version)}, this damm-gym reads version ${JOURNAL_VERSION}`);
  if (value.fingerprint !== expected.fingerprint) {
    throw new SweepJournalError(
      `${where}: the journal belongs to another sweep (written for ${String(value.config)}, fingerprint ${String(value.fingerprint).slice(0, 12)}…; this config gives ${expected.fingerprint.slice(0, 12)}…): env, envOptions, trial, grid and seeds must be unchanged to resume; use the original config or another --out`,
    );
  }
}

function toRecord(value: unknown, where: string): TrialRecord {
  const v = value as Partial<TrialRecord>;
  const ok = isPlainObject(value) && Number.isSafeInteger(v.index) && typeof v.key === 'string' && Number.isSafeInteger(v.seed)
    && isPlainObject(v.params) && isPlainObject(v.metrics);
  if (!ok) throw new SweepJournalError(`${where}: not a finished-trial line (expected index, key, seed, params, metrics); start the sweep in a new --out`);
  return value as unknown as TrialRecord;
}

/** fsync a directory so a file just created in it survives a crash. */
function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
