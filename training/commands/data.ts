import { join } from 'node:path';
import type { Argv } from 'yargs';
import { loadCurveHistory } from '../../data/drift-v1/curveHistory.js';
import { DRIFT_V1_FILES, resolveDataDir } from '../../data/dataDir.js';
import { verifyCosts, type ProtocolChoice } from '../../data/drift-v1/verifyCosts.js';
import { PROTOCOL_VERSIONS } from '../../env/amm/drift-v1/index.js';
import { formatTable, toJson } from '../output.js';

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
    .demandCommand(1));
}
