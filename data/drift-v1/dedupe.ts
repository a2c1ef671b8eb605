import { ConflictingDuplicateError } from '../errors.js';

interface Recorded {
  readonly recordId: bigint;
  readonly scrapedAt?: string | null;
}

export interface Deduplicated<R> {
  /** Distinct records, sorted by record id. */
  readonly records: R[];
  /** Copies dropped as exact re-scrapes of a record already seen. */
  readonly duplicates: number;
}

/**
 * Keep the first copy of each record id. The flat-data scraper re-reads ring buffers, so the same
 * on-chain record can appear in several snapshots; a copy that differs in anything but the scrape
 * time would mean one of them is wrong, so it is an error, never a silent pick.
 */
export function dedupeByRecordId<R extends Recorded>(file: string, what: string, records: Iterable<R>): Deduplicated<R> {
  const byId = new Map<bigint, R>();
  let duplicates = 0;
  for (const record of records) {
    const seen = byId.get(record.recordId);
    if (seen === undefined) {
      byId.set(record.recordId, record);
      continue;
    }
    const differing = (Object.keys(record) as (keyof R & string)[]).find((k) => k !== 'scrapedAt' && record[k] !== seen[k]);
    if (differing !== undefined) {
      throw new ConflictingDuplicateError(
        `${file}: ${what} record_id ${record.recordId} appears twice with different ${differing}: ${String(seen[differing])} vs ${String(record[differing])}`,
      );
    }
    duplicates++;
  }
  const sorted = [...byId.values()].sort((a, b) => (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0));
  return { records: sorted, duplicates };
}
