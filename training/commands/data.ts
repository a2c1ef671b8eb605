import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { loadCurveHistory } from '../../data/drift-v1/curveHistory.js';
import { DRIFT_V1_FILES, resolveDataDir } from '../../data/dataDir.js';
import { marketIndexOf } from '../../data/drift-v1/markets.js';
import { verifyCosts, type ProtocolChoice } from '../../data/drift-v1/verifyCosts.js';
import { DEFAULT_UPSTREAM_BASE_URL, fetchDriftData } from '../../data/fetch.js';
import { inspectDriftData, type InspectReport } from '../../data/inspect.js';
import { InvalidArgumentError } from '../../env/core/errors.js';
import { PROTOCOL_VERSIONS } from '../../env/amm/drift-v1/index.js';
import { writeFileAtomic } from '../files.js';
import { formatTable, toJson } from '../output.js';
import { progressBar } from '../progress.js';

interface VerifyCostsArgs {
  file?: string;
  dataDir?: string;
  protocol: ProtocolChoice;
  json: boolean;
}

async function runVerifyCosts(args: VerifyCostsArgs): Promise<number> {
  const file = args.file ?? join(resolveDataDir(args.dataDir).dir, DRIFT_V1_FILES.curveHistory);
  const started = performance.now();
  const history = await loadCurveHistory(file);
  const report = verifyCosts(history.records, args.protocol);
  const seconds = (performance.now() - started) / 1000;
  const mismatches = report.checks.filter((c) => !c.exact).map((c) => ({
    recordId: c.recordId, marketIndex: c.marketIndex, ts: new Date(c.ts * 1000).toISOString(), kind: c.kind,
    protocol: c.protocol, recorded: c.recorded, computed: c.computed, diff: c.computed === null ? null : c.computed - c.recorded,
    ...(c.rejected ? { rejected: c.rejected } : {}),
    ...(c.reserves ? { reservesRecorded: c.reserves.recorded, reservesComputed: c.reserves.computed } : {}),
  }));
  if (args.json) {
    process.stdout.write(`${toJson({
      file, layout: history.layout, rows: history.rows, duplicates: history.duplicates, emptySlots: history.emptySlots,
      protocol: args.protocol, records: report.records, exact: report.exact, maxAbsDiff: report.maxAbsDiff,
      byProtocol: report.byProtocol, mismatches, seconds,
    })}\n`);
  } else {
    const pct = report.records === 0 ? 0 : (100 * report.exact) / report.records;
    const per = Object.entries(report.byProtocol).map(([p, s]) => `${p} ${s.exact}/${s.records}`).join(', ');
    if (mismatches.length > 0) {
      console.log(formatTable(
        ['record', 'market', 'ts (UTC)', 'kind', 'protocol', 'recorded', 'computed', 'diff'],
        mismatches.map((m) => [String(m.recordId), String(m.marketIndex), m.ts, m.kind, m.protocol, String(m.recorded), m.computed === null ? `rejected (${String(m.rejected).split(" ")[0]})` : String(m.computed), String(m.diff ?? '')]),
      ));
    }
    console.log(`verify-costs: ${report.records} records from ${history.rows} rows (${history.duplicates} duplicate rows, ${history.emptySlots} empty slots dropped); `
      + `${report.exact} exact to the unit (${pct.toFixed(2)} %); max |diff| ${report.maxAbsDiff} quote units; by protocol: ${per}; ${seconds.toFixed(3)} s`);
  }
  return mismatches.length === 0 ? 0 : 1;
}

interface InspectArgs {
  dataDir?: string;
  market?: string;
  out?: string;
  json: boolean;
}

const hours = (h: number | null): string => (h === null ? '' : h.toFixed(2));

function printInspect(report: InspectReport, from: string, seconds: number): void {
  console.log(formatTable(
    ['file', 'layout', 'rows', 'distinct', 'dropped dup', 'from (UTC)', 'to (UTC)', 'outliers'],
    report.files.map((f) => [f.name, f.layout, String(f.rows), String(f.distinctRecords), String(f.duplicates + f.emptySlots), f.from ?? '', f.to ?? '', String(f.outliers.flagged)]),
  ));
  console.log('');
  console.log(formatTable(
    ['file', 'market', 'rows', 'records', 'from (UTC)', 'to (UTC)', 'max gap h', 'outliers'],
    report.files.flatMap((f) => f.markets.map((m) => [f.name, `${m.marketIndex} ${m.symbol}`, String(m.rows), String(m.records), m.from ?? '', m.to ?? '', hours(m.largestGapHours), String(m.outliers)])),
  ));
  const outliers = report.files.filter((f) => f.outliers.flagged > 0);
  if (outliers.length > 0) {
    console.log('');
    for (const f of outliers) {
      const rules = Object.entries(f.outliers.byRule).map(([rule, n]) => `${rule} ${n}`).join(', ');
      console.log(`${f.name}: outliers (flagged, not dropped): ${rules}; record ids ${f.outliers.records.map((r) => String(r.recordId)).join(' ')}`);
    }
  }
  for (const f of report.files) {
    const facts = Object.entries(f.details).filter(([, v]) => v !== null).map(([k, v]) => `${k} ${v}`).join(', ');
    if (facts) console.log(`${f.name}: ${facts}`);
  }
  const count = (kind: string) => report.files.find((f) => f.kind === kind)?.distinctRecords ?? 0;
  console.log(`data inspect: ${report.files.length} files in ${report.dataDir} (${from}); ${count('curve-history')} curve records, `
    + `${count('funding-rate-history')} funding records, ${count('trade-snapshot')} trades, ${count('markets-state')} market states; `
    + `${report.files.reduce((n, f) => n + f.outliers.flagged, 0)} outliers flagged${report.market === null ? '' : ` in market ${report.market}`}; ${seconds.toFixed(3)} s`);
}

async function runInspect(args: InspectArgs): Promise<number> {
  const started = performance.now();
  const market = args.market === undefined ? null : marketIndexOf(args.market, '--market');
  const source = resolveDataDir(args.dataDir);
  const report = await inspectDriftData(source.dir, market);
  const seconds = (performance.now() - started) / 1000;
  // Written only after every file loaded and checked: a malformed input leaves no report behind.
  if (args.out !== undefined) writeFileAtomic(resolve(args.out), `${toJson(report)}\n`);
  if (args.json) process.stdout.write(`${toJson(report)}\n`);
  else printInspect(report, source.from, seconds);
  return 0;
}

interface FetchArgs {
  dest?: string;
  baseUrl?: string;
  force: boolean;
  json: boolean;
}

async function runFetch(args: FetchArgs): Promise<number> {
  const baseUrl = args.baseUrl ?? DEFAULT_UPSTREAM_BASE_URL;
  if (!/^https?:\/\/[^/]+/.test(baseUrl)) {
    throw new InvalidArgumentError(`--base-url ${JSON.stringify(baseUrl)}: must be an http:// or https:// URL (default ${DEFAULT_UPSTREAM_BASE_URL})`);
  }
  const dest = resolve(args.dest ?? 'data/cache/drift-v1');
  const started = performance.now();
  // The bar appears once the first bytes arrive, when the total to download is known.
  let bar: ReturnType<typeof progressBar> | undefined;
  let shown = 0;
  const onBytes = (received: number, total: number) => {
    bar ??= progressBar('fetch', total, args.json);
    bar.tick(received - shown);
    shown = received;
  };
  let report;
  try {
    report = await fetchDriftData({ dest, baseUrl, force: args.force, onBytes });
  } finally {
    bar?.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  if (args.json) {
    process.stdout.write(`${toJson({ ...report, seconds })}\n`);
    return 0;
  }
  console.log(formatTable(['file', 'status', 'bytes', 'git blob', 'url'], report.files.map((f) => [f.name, f.status, String(f.bytes), f.gitBlobSha1, f.url])));
  const n = (s: string) => report.files.filter((f) => f.status === s).length;
  console.log(`data fetch: ${report.files.length} files in ${dest}: ${n('downloaded')} downloaded, ${n('replaced')} replaced, ${n('present')} already present and valid; `
    + `sizes and git blob ids match the pinned upstream commits; ${seconds.toFixed(3)} s`);
  return 0;
}
export function dataCommand(y: Argv): Argv {
  return y.command('data', 'Drift v1 history: load, check and inspect', (d) => d
    .command(
      'verify-costs',
      'Recompute every repeg / update_k cost (and k after-reserves) of a curve history CSV and compare with what was recorded; exits 1 on any mismatch',
      (c) => c
        .option('file', { type: 'string', describe: 'curve history CSV (default: curve_history_hist.csv in the data directory)' })
        .option('protocol', {
          choices: [...PROTOCOL_VERSIONS, 'auto'] as const, default: 'auto' as const,
          describe: 'program semantics to recompute with; auto picks the version deployed at each record\'s date',
        }),
      async (argv) => { process.exitCode = await runVerifyCosts(argv as unknown as VerifyCostsArgs); },
    )
    .command(
      'inspect',
      'Load every Drift v1 file of the data directory and report rows, distinct records, time range, per-market coverage and flagged outliers',
      (c) => c
        .option('market', { type: 'string', describe: 'restrict the per-market lists to one market (SOL, BTC-PERP or an index)' })
        .option('out', { type: 'string', describe: 'also write the JSON report to this file (atomically; not written if any file fails to load)' }),
      async (argv) => { process.exitCode = await runInspect(argv as unknown as InspectArgs); },
    )
    .command(
      'fetch',
      'Download the four upstream Drift v1 files at their pinned commits, verify size and git blob id, and save them under our names',
      (c) => c
        .option('dest', { type: 'string', describe: 'directory to save into (default ./data/cache/drift-v1, where --data-dir resolution looks)' })
        .option('base-url', { type: 'string', describe: `mirror serving <owner>/<repo>/<commit>/<path> (default ${DEFAULT_UPSTREAM_BASE_URL})` })
        .option('force', { type: 'boolean', default: false, describe: 'download again even files already present and valid' }),
      async (argv) => { process.exitCode = await runFetch(argv as unknown as FetchArgs); },
    )
    .demandCommand(1));
}
