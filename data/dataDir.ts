import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataNotFoundError } from './errors.js';

/** The package root (the folder holding package.json), so defaults work from any working directory. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface DataDirSource {
  readonly dir: string;
  /** Which rule chose it: the flag, the environment variable, the download cache or the shared copy. */
  readonly from: '--data-dir' | 'DAMM_GYM_DATA' | 'cache' | 'shared';
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

/**
 * Resolve the Drift v1 data directory in ARCHITECTURE.md's order: `--data-dir`, `DAMM_GYM_DATA`,
 * `./data/cache/drift-v1` (where `data fetch` downloads), then `../shared/data/drift-v1`. The last
 * two are tried beside the working directory and beside the package. An explicit choice that does
 * not exist is an error, never a silent fall-through.
 */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): DataDirSource {
  if (flag !== undefined) {
    if (!isDir(flag)) throw new DataNotFoundError(`--data-dir ${JSON.stringify(flag)} is not a directory`);
    return { dir: resolve(flag), from: '--data-dir' };
  }
  const fromEnv = env.DAMM_GYM_DATA;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isDir(fromEnv)) throw new DataNotFoundError(`DAMM_GYM_DATA=${JSON.stringify(fromEnv)} is not a directory`);
    return { dir: resolve(fromEnv), from: 'DAMM_GYM_DATA' };
  }
  const bases = [...new Set([process.cwd(), PACKAGE_ROOT])];
  const candidates: DataDirSource[] = [
    ...bases.map((b) => ({ dir: resolve(b, 'data/cache/drift-v1'), from: 'cache' as const })),
    ...bases.map((b) => ({ dir: resolve(b, '../shared/data/drift-v1'), from: 'shared' as const })),
  ];
  const found = candidates.find((c) => isDir(c.dir));
  if (found) return found;
  throw new DataNotFoundError(
    `no Drift v1 data directory: pass --data-dir, set DAMM_GYM_DATA, or run \`damm-gym data fetch\`; looked in ${candidates.map((c) => c.dir).join(', ')}`,
  );
}

/** The file names of the Drift v1 data set (as in ../shared/data/drift-v1/README.md). */
export const DRIFT_V1_FILES = {
  curveHistory: 'curve_history_hist.csv',
  fundingRateHistory: 'funding_rate_history_hist.csv',
  tradeSnapshot: 'trade_history_snapshot_2022-01-06.csv',
  marketsState: 'markets_state_2022-01-06.csv',
} as const;
