/** The sweep's plain-text report: the trials, the configurations averaged over seeds, throughput. */
import { formatTable } from '../output.js';
import type { SweepSummary } from './runner.js';

type Row = SweepSummary['rows'][number];

const TRIALS_SHOWN = 60;

function num(v: unknown, digits = 2): string {
  return typeof v === 'number' ? v.toFixed(digits) : '';
}

/** 1234567 → "1.23 M", 412000 → "412 k". */
export function humanRate(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toPrecision(3)} M`;
  if (x >= 1e3) return `${(x / 1e3).toPrecision(3)} k`;
  return x.toPrecision(3);
}

function paramText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function formatSweepReport(s: SweepSummary): string {
  const params = s.parameters;
  const out: string[] = [];
  if (s.rows.length <= TRIALS_SHOWN) {
    const extra = s.kind === 'q-learning' ? ['train return (last 10 %)'] : [];
    out.push(formatTable(
      ['trial', ...params, 'seed', 'mean return', 'IQM', 'IQM 95% CI', ...extra, 'steps/s', 'wall s'],
      s.rows.map((r) => [
        String(r.trial), ...params.map((p) => paramText(r[p])), String(r.seed), num(r.meanReturn), num(r.iqm), `[${num(r.iqmCiLow)}, ${num(r.iqmCiHigh)}]`,
        ...(s.kind === 'q-learning' ? [num(r.trainReturnLast10Pct)] : []),
        typeof r.stepsPerSec === 'number' ? humanRate(r.stepsPerSec) : '', num(r.wallSeconds, 2),
      ]),
    ));
  } else {
    out.push(`(${s.rows.length} trials: see ${s.files.csv})`);
  }
  const groups = byConfiguration(s.rows, params);
  if (params.length > 0 && groups.some((g) => g.rows.length > 1)) {
    out.push('', 'by configuration (IQM of each seed\'s evaluation, then its mean, min and max over seeds):');
    out.push(formatTable(
      [...params, 'seeds', 'mean IQM', 'min IQM', 'max IQM', 'mean return'],
      groups.map((g) => {
        const iqms = g.rows.map((r) => r.iqm).filter((x): x is number => typeof x === 'number');
        const means = g.rows.map((r) => r.meanReturn).filter((x): x is number => typeof x === 'number');
        const avg = (xs: number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
        return [...params.map((p) => paramText(g.rows[0]![p])), String(g.rows.length), num(avg(iqms)), num(Math.min(...iqms)), num(Math.max(...iqms)), num(avg(means))];
      }),
    ));
  }
  out.push('', sweepSummaryLine(s));
  return out.join('\n');
}

export function sweepSummaryLine(s: SweepSummary): string {
  const resumed = s.resumed > 0 ? ` (${s.resumed} already finished, taken from the journal)` : '';
  const rate = s.ran > 0
    ? `${s.ran} run on ${s.workers} worker${s.workers === 1 ? '' : 's'} in ${s.wallSeconds.toFixed(1)} s (${s.startupSeconds.toFixed(1)} s starting them): ${s.trialsPerSec.toFixed(2)} trials/s, ${humanRate(s.envSteps)} env steps at ${humanRate(s.envStepsPerSec)} steps/s`
    : 'none left to run';
  return `sweep: ${s.trials} trials of ${s.kind} on ${s.env}${resumed}; ${rate}; results in ${s.files.csv} and ${s.files.parquet}`;
}

function byConfiguration(rows: readonly Row[], params: readonly string[]): { rows: Row[] }[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = JSON.stringify(params.map((p) => r[p]));
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = []));
    g.push(r);
  }
  return [...groups.values()].map((g) => ({ rows: g }));
}
