/** Test helper (not a test file): where the real Drift v1 data is, and the skip reason when it is absent. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DRIFT_V1_FILES, resolveDataDir } from '../data/dataDir.js';

/** The data directory by the usual resolution order, or null where there is none (a clean clone). */
export const REAL_DATA_DIR: string | null = (() => {
  try {
    return resolveDataDir().dir;
  } catch {
    return null;
  }
})();

/** node:test's `skip` for suites that read `file` from the data directory: false, or the visible reason. */
export function skipWithoutRealData(file: string = DRIFT_V1_FILES.curveHistory): string | false {
  return REAL_DATA_DIR !== null && existsSync(join(REAL_DATA_DIR, file))
    ? false
    : 'the Drift v1 data directory is not present (see README: Data); these tests need ../shared/data/drift-v1';
}
