/**
 * `damm-gym data fetch` against a local HTTP server on 127.0.0.1 (random port) laid out like
 * raw.githubusercontent.com: the real shared files (read at test time), corrupted bytes, a short body
 * and a 404. A failed run leaves nothing behind.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DRIFT_V1_FILES, PACKAGE_ROOT, resolveDataDir } from '../data/dataDir.js';
import { DRIFT_V1_UPSTREAM, fetchDriftData, gitBlobSha1, upstreamUrl } from '../data/fetch.js';
import { DownloadError } from '../data/errors.js';

const root = mkdtempSync(join(tmpdir(), 'damm-gym-fetch-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** The CLI as a user runs it, without blocking this process (the server answers from here). */
function runCliAsync(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin/damm-gym.js'), ...args], { cwd: PACKAGE_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** What the server answers for a path: bytes, or a status code. */
const routes = new Map<string, Buffer | number>();
const requests: string[] = [];
let server: Server;
let baseUrl = '';

before(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const route = routes.get(req.url ?? '') ?? 404;
    if (typeof route === 'number') {
      res.writeHead(route, { 'content-type': 'text/plain' }).end('no such file');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': route.length }).end(route);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const pathOf = (name: string): string => new URL(upstreamUrl(DRIFT_V1_UPSTREAM.find((f) => f.name === name)!, baseUrl)).pathname;

/** No file of the set, no staging directory left beside dest. */
function assertNothingLeft(dest: string): void {
  assert.equal(existsSync(dest), false, `${dest} must not exist`);
  const parent = join(dest, '..');
  assert.deepEqual(existsSync(parent) ? readdirSync(parent).filter((n) => n.includes('download')) : [], []);
}

describe('fetch building blocks', () => {
  it('gitBlobSha1 is git\'s blob id ("hello\\n" → ce01362…)', () => {
    assert.equal(gitBlobSha1(Buffer.from('hello\n')), 'ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('the pinned URLs are raw.githubusercontent.com at the README\'s commits, saved under our names', () => {
    assert.deepEqual(DRIFT_V1_UPSTREAM.map((f) => f.name), Object.values(DRIFT_V1_FILES));
    assert.equal(upstreamUrl(DRIFT_V1_UPSTREAM[0]),
      'https://raw.githubusercontent.com/0xbigz/drift-flat-data-tool/07a83b5de0a7b07dff8d2242c553ee1fe7bd91d2/drift-comb-data/curve_history_hist.csv');
    assert.equal(upstreamUrl(DRIFT_V1_UPSTREAM[3], 'http://mirror.example/'),
      'http://mirror.example/0xbigz/drift-flat-data/0001632194240dd6e90d69720e69fa6ed5292877/data/markets_state.csv');
  });
});

describe('data fetch with broken downloads', () => {
  it('corrupted bytes of the right size: exit 1 naming the URL, the pinned and the actual blob id; nothing saved', async () => {
    for (const f of DRIFT_V1_UPSTREAM) routes.set(pathOf(f.name), Buffer.alloc(f.bytes, 'x'));
    const dest = join(root, 'corrupt', 'drift-v1');
    const r = await runCliAsync('data', 'fetch', '--dest', dest, '--base-url', baseUrl);
    assert.equal(r.status, 1, r.stderr);
    const first = DRIFT_V1_UPSTREAM[0];
    const actual = gitBlobSha1(Buffer.alloc(first.bytes, 'x'));
    assert.equal(r.stderr.trim(), `damm-gym: DownloadError: ${upstreamUrl(first, baseUrl)}: the download is not the pinned upstream file (content differs) `
      + `(expected git blob ${first.gitBlobSha1}, got git blob ${actual})`);
    assertNothingLeft(dest);
  });

  it('a short body names expected and actual size; a 404 names the status', async () => {
    const first = DRIFT_V1_UPSTREAM[0];
    routes.set(pathOf(first.name), Buffer.alloc(100, 'x'));
    const dest = join(root, 'short', 'drift-v1');
    await assert.rejects(fetchDriftData({ dest, baseUrl }), (e: unknown) =>
      e instanceof DownloadError && e.url === upstreamUrl(first, baseUrl) && e.expected === `${first.bytes} bytes` && e.actual === '100 bytes');
    assertNothingLeft(dest);

    routes.set(pathOf(first.name), Buffer.alloc(first.bytes + 1, 'x'));
    await assert.rejects(fetchDriftData({ dest, baseUrl }), (e: unknown) => e instanceof DownloadError && /larger than the pinned/.test(e.message));
    assertNothingLeft(dest);

    routes.set(pathOf(first.name), 404);
    const r = await runCliAsync('data', 'fetch', '--dest', dest, '--base-url', baseUrl, '--json');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`DownloadError: ${upstreamUrl(first, baseUrl).replaceAll('.', '\\.')}: the server refused the download \\(expected HTTP 200, got HTTP 404 Not Found\\)`));
    assertNothingLeft(dest);
  });

  it('a refused connection is a DownloadError naming the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const dest = join(root, 'refused', 'drift-v1');
    await assert.rejects(fetchDriftData({ dest, baseUrl: `http://127.0.0.1:${port}` }), (e: unknown) =>
      e instanceof DownloadError && e.url.startsWith(`http://127.0.0.1:${port}/0xbigz/`) && e.actual === 'ECONNREFUSED');
    assertNothingLeft(dest);
  });

  it('--base-url must be http(s)', async () => {
    const r = await runCliAsync('data', 'fetch', '--dest', join(root, 'never'), '--base-url', 'ftp://127.0.0.1/');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--base-url "ftp:\/\/127\.0\.0\.1\/": must be an http:\/\/ or https:\/\/ URL/);
  });
});

const shared = (() => {
  try {
    const dir = resolveDataDir().dir;
    return Object.values(DRIFT_V1_FILES).every((f) => existsSync(join(dir, f))) ? dir : null;
  } catch {
    return null;
  }
})();
const noData = shared === null ? 'the Drift v1 data directory is not present (see README: Data); these tests serve ../shared/data/drift-v1' : false;

describe('data fetch of the real files', { skip: noData }, () => {
  const serveReal = () => {
    for (const f of DRIFT_V1_UPSTREAM) routes.set(pathOf(f.name), readFileSync(join(shared!, f.name)));
  };

  it('the shared copies match the pinned sizes and blob ids', () => {
    for (const f of DRIFT_V1_UPSTREAM) {
      const bytes = readFileSync(join(shared!, f.name));
      assert.equal(bytes.length, f.bytes, f.name);
      assert.equal(gitBlobSha1(bytes), f.gitBlobSha1, f.name);
    }
  });

  it('downloads all four through the CLI, byte-identical, then skips them; --force and a damaged copy download again', async () => {
    serveReal();
    const dest = join(root, 'real', 'drift-v1');
    const r = await runCliAsync('data', 'fetch', '--dest', dest, '--base-url', baseUrl, '--json');
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { dest: string; files: { name: string; status: string; url: string }[] };
    assert.equal(report.dest, dest);
    assert.deepEqual(report.files.map((f) => [f.name, f.status]), Object.values(DRIFT_V1_FILES).map((n) => [n, 'downloaded']));
    for (const name of Object.values(DRIFT_V1_FILES)) assert.ok(readFileSync(join(dest, name)).equals(readFileSync(join(shared!, name))), name);
    assert.deepEqual(readdirSync(dest).sort(), Object.values(DRIFT_V1_FILES).sort());

    const before = requests.length;
    const again = await fetchDriftData({ dest, baseUrl });
    assert.deepEqual(again.files.map((f) => f.status), ['present', 'present', 'present', 'present']);
    assert.equal(requests.length, before, 'no request for files already present and valid');

    writeFileSync(join(dest, DRIFT_V1_FILES.marketsState), 'damaged');
    const repaired = await fetchDriftData({ dest, baseUrl });
    assert.deepEqual(repaired.files.map((f) => f.status), ['present', 'present', 'present', 'replaced']);
    assert.ok(readFileSync(join(dest, DRIFT_V1_FILES.marketsState)).equals(readFileSync(join(shared!, DRIFT_V1_FILES.marketsState))));

    const forced = await runCliAsync('data', 'fetch', '--dest', dest, '--base-url', baseUrl, '--force');
    assert.equal(forced.status, 0, forced.stderr);
    assert.match(forced.stdout, /^data fetch: 4 files in .*: 0 downloaded, 4 replaced, 0 already present and valid/m);
  });

  it('one bad file among good ones: none is saved, and files already there stay as they were', async () => {
    serveReal();
    const last = DRIFT_V1_UPSTREAM[3];
    routes.set(pathOf(last.name), 404);
    const dest = join(root, 'partial', 'drift-v1');
    await assert.rejects(fetchDriftData({ dest, baseUrl }), (e: unknown) => e instanceof DownloadError && e.url === upstreamUrl(last, baseUrl));
    assertNothingLeft(dest);

    serveReal();
    await fetchDriftData({ dest, baseUrl });
    const damaged = join(dest, DRIFT_V1_FILES.curveHistory);
    writeFileSync(damaged, 'old copy');
    routes.set(pathOf(last.name), 404);
    await assert.rejects(fetchDriftData({ dest, baseUrl, force: true }), DownloadError);
    assert.equal(readFileSync(damaged, 'utf8'), 'old copy');
    assert.deepEqual(readdirSync(join(dest, '..')).filter((n) => n.includes('download')), []);
  });
});
