import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DRIFT_V1_FILES } from './dataDir.js';
import { DownloadError } from './errors.js';

/** Where one bundled file comes from, pinned to a commit, a size and a git blob id. */
export interface UpstreamFile {
  /** Our file name (DRIFT_V1_FILES). */
  readonly name: string;
  readonly repo: string;
  readonly commit: string;
  readonly path: string;
  readonly bytes: number;
  /** SHA-1 of "blob <bytes>\0" + content, the id git gives the file, so it can be checked against the upstream tree. */
  readonly gitBlobSha1: string;
}

const FLAT_DATA_TOOL = { repo: '0xbigz/drift-flat-data-tool', commit: '07a83b5de0a7b07dff8d2242c553ee1fe7bd91d2' } as const;
const FLAT_DATA = { repo: '0xbigz/drift-flat-data', commit: '0001632194240dd6e90d69720e69fa6ed5292877' } as const;

/** The four upstream files at the commits ../shared/data/drift-v1/README.md names (sizes and blob ids of those exact bytes). */
export const DRIFT_V1_UPSTREAM: readonly UpstreamFile[] = Object.freeze([
  { name: DRIFT_V1_FILES.curveHistory, ...FLAT_DATA_TOOL, path: 'drift-comb-data/curve_history_hist.csv', bytes: 111_736, gitBlobSha1: '7daf156987e3f6037a8751d5f377361479c73ce5' },
  { name: DRIFT_V1_FILES.fundingRateHistory, ...FLAT_DATA_TOOL, path: 'drift-comb-data/fundingRate_history_hist.csv', bytes: 974_173, gitBlobSha1: 'f5846614c86c743113bce1c62882aaed89adcdeb' },
  { name: DRIFT_V1_FILES.tradeSnapshot, ...FLAT_DATA, path: 'data/trade_history.csv', bytes: 242_133, gitBlobSha1: 'f70d923e931341f240f71e7bb6f14cb4952c488d' },
  { name: DRIFT_V1_FILES.marketsState, ...FLAT_DATA, path: 'data/markets_state.csv', bytes: 2_611, gitBlobSha1: '899f96a345c12a5284e0c3542d93b205c0c38d69' },
]);

export const DEFAULT_UPSTREAM_BASE_URL = 'https://raw.githubusercontent.com';

/** raw.githubusercontent.com's layout: <base>/<owner>/<repo>/<commit>/<path>; a mirror must serve the same paths. */
export function upstreamUrl(file: UpstreamFile, baseUrl: string = DEFAULT_UPSTREAM_BASE_URL): string {
  return `${baseUrl.replace(/\/+$/, '')}/${file.repo}/${file.commit}/${file.path}`;
}

export function gitBlobSha1(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export interface FetchOptions {
  /** Directory the files are saved in (created when the download succeeds). */
  readonly dest: string;
  readonly baseUrl?: string;
  /** Download even files already present and valid. */
  readonly force?: boolean;
  /** Per-file time limit, ms (default 120 000). */
  readonly timeoutMs?: number;
  /** Called as bytes arrive (for a progress bar): total is the sum of the files being downloaded. */
  readonly onBytes?: (received: number, total: number) => void;
}

export interface FetchedFile {
  readonly name: string;
  readonly url: string;
  /** present: already there with the pinned size and hash; replaced: was there but not valid (or --force). */
  readonly status: 'downloaded' | 'replaced' | 'present';
  readonly bytes: number;
  readonly gitBlobSha1: string;
}

export interface FetchReport {
  readonly dest: string;
  readonly files: FetchedFile[];
}

async function isValidCopy(path: string, file: UpstreamFile): Promise<boolean | null> {
  try {
    if ((await stat(path)).size !== file.bytes) return false;
  } catch {
    return null;
  }
  return gitBlobSha1(await readFile(path)) === file.gitBlobSha1;
}

/** Read a response body, refusing more bytes than the pinned size (a wrong file must not fill the disk). */
async function readCapped(url: string, response: Response, file: UpstreamFile, onChunk: (n: number) => void): Promise<Buffer> {
  if (response.body === null) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.length;
    if (received > file.bytes) {
      await reader.cancel();
      throw new DownloadError(url, `${file.bytes} bytes`, `more than ${file.bytes} bytes`, 'the download is larger than the pinned upstream file');
    }
    chunks.push(value);
    onChunk(value.length);
  }
  return Buffer.concat(chunks);
}

async function download(file: UpstreamFile, url: string, timeoutMs: number, onChunk: (n: number) => void): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new DownloadError(url, 'HTTP 200', cause?.code ?? cause?.message ?? (err as Error).message, 'the request failed');
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new DownloadError(url, 'HTTP 200', `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, 'the server refused the download');
  }
  const bytes = await readCapped(url, response, file, onChunk);
  if (bytes.length !== file.bytes) {
    throw new DownloadError(url, `${file.bytes} bytes`, `${bytes.length} bytes`, 'the download is not the pinned upstream file (size differs)');
  }
  const sha = gitBlobSha1(bytes);
  if (sha !== file.gitBlobSha1) {
    throw new DownloadError(url, `git blob ${file.gitBlobSha1}`, `git blob ${sha}`, 'the download is not the pinned upstream file (content differs)');
  }
  return bytes;
}

/**
 * Download the four Drift v1 files into `dest`, checking each against its pinned size and git blob id.
 * All downloads go to a staging directory beside `dest` and are renamed into place only when every one
 * has been verified, so a failed run (HTTP error, wrong bytes, time-out) leaves `dest` as it was.
 */
export async function fetchDriftData(options: FetchOptions): Promise<FetchReport> {
  const baseUrl = options.baseUrl ?? DEFAULT_UPSTREAM_BASE_URL;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const plan = await Promise.all(DRIFT_V1_UPSTREAM.map(async (file) => {
    const valid = await isValidCopy(join(options.dest, file.name), file);
    const status: FetchedFile['status'] = valid === null ? 'downloaded' : valid && !options.force ? 'present' : 'replaced';
    return { file, url: upstreamUrl(file, baseUrl), status };
  }));
  const needed = plan.filter((p) => p.status !== 'present');
  if (needed.length > 0) {
    await mkdir(dirname(options.dest), { recursive: true });
    const staging = await mkdtemp(join(dirname(options.dest), `.${basename(options.dest)}.download-`));
    try {
      const total = needed.reduce((n, p) => n + p.file.bytes, 0);
      let received = 0;
      for (const p of needed) {
        const bytes = await download(p.file, p.url, timeoutMs, (n) => options.onBytes?.((received += n), total));
        await writeFile(join(staging, p.file.name), bytes);
      }
      await mkdir(options.dest, { recursive: true });
      for (const p of needed) await rename(join(staging, p.file.name), join(options.dest, p.file.name));
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  return {
    dest: options.dest,
    files: plan.map((p) => ({ name: p.file.name, url: p.url, status: p.status, bytes: p.file.bytes, gitBlobSha1: p.file.gitBlobSha1 })),
  };
}
