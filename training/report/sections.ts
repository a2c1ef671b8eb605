/**
 * One report section per kind of run directory damm-gym writes: a q-learning training run, a DQN
 * training run, an evaluation run, and any other run with a config.json (config and metrics only).
 */
import { join } from 'node:path';
import type { Env } from '../../env/core/env.js';
import { make } from '../../env/core/registration/registry.js';
import { DiscretizeObservation } from '../../env/core/wrappers/discretize-observation.js';
import '../../env/tasks/builtin.js';
import { NoopPolicy } from '../../agents/baselines.js';
import { FormulaicPolicy } from '../../agents/driftBaselines.js';
import { loadPolicy } from '../../agents/persistence.js';
import type { Policy } from '../../agents/policy.js';
import { plotEvaluation } from '../plots/evaluationComparison.js';
import { plotFeePool, plotMarkOracle, recordEpisode, type EpisodeTrace } from '../plots/episodeTrace.js';
import { plotLearningCurve } from '../plots/learningCurve.js';
import { plotGreedyActionMap, plotQValueMap, type QTable } from '../plots/qMaps.js';
import { meanCi95 } from '../plots/stats.js';
import { plotConfusionMatrices, plotRoc } from '../plots/classifierPlots.js';
import type { ConfusionMatrix } from '../../agents/supervised/metrics.js';
import { ReportInputError } from './errors.js';
import { codeBlock, escapeHtml, htmlTable, inlineSvg } from './html.js';
import { hasFile, numericColumn, readCsv, readJson, type JsonRecord } from './runFiles.js';

export interface Section {
  readonly heading: string;
  readonly html: string;
  readonly plots: number;
  readonly tables: number;
}

/** The env seed of the episode the report rolls out (the first evaluation seed, as in `evaluate`). */
export const REPORT_EPISODE_SEED = 10_000;

function commandOf(record: JsonRecord): string {
  const c = record.command;
  return Array.isArray(c) ? c.map((a) => (/^[\w@%+=:,./-]+$/.test(String(a)) ? String(a) : `'${String(a).replace(/'/g, `'\\''`)}'`)).join(' ') : '(not recorded)';
}

function commandAndConfig(record: JsonRecord, file: string): string {
  const { command: _command, ...rest } = record;
  return `<h3>Command</h3>${codeBlock(commandOf(record))}<h3>Configuration (${escapeHtml(file)})</h3>${codeBlock(JSON.stringify(rest, null, 2))}`;
}

function str(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}

/** A q-learning run: learning curve, Q maps and, on drift-vamm-v0, one greedy episode next to two baselines. */
export async function qLearningSection(dir: string, config: JsonRecord): Promise<Section> {
  const parts: string[] = [commandAndConfig(config, 'config.json')];
  let plots = 0;
  const rows = readCsv(dir, 'episodes.csv');
  const returns = numericColumn(rows, 'return', join(dir, 'episodes.csv'));
  const tail = returns.slice(Math.floor(returns.length * 0.9));
  const tailMean = tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : Number.NaN;
  parts.push('<h3>Training</h3>', htmlTable(['episodes', 'mean return, all', 'mean return, last 10 %', 'best episode return'], [[
    returns.length, returns.reduce((a, b) => a + b, 0) / Math.max(1, returns.length), tailMean, Math.max(...returns),
  ]]));
  const env = str(config.env, 'env');
  parts.push(inlineSvg((await plotLearningCurve([{ label: dir, x: returns.map((_, i) => i), y: returns }], { title: `Q-learning on ${env}: learning curve` })).svg));
  plots++;
  if (hasFile(dir, 'policy.json')) {
    const file = readJson(dir, 'policy.json');
    const data = file.data as { q?: number[]; visits?: number[]; nActions?: number } | undefined;
    const discretize = (file.envSpec as { discretize?: { bins: number[]; low: number[]; high: number[] } } | undefined)?.discretize;
    if (file.kind === 'q-learning' && data?.q && data.nActions && discretize && discretize.bins.length >= 2) {
      const table: QTable = { q: data.q, visits: data.visits, nActions: data.nActions, ...discretize };
      const actionNames = env.startsWith('drift-') ? actionMeaningsOf(make(env)) : undefined;
      const dimNames = env.startsWith('drift-') ? undefined : discretize.bins.map((_, i) => `observation ${i}`);
      parts.push('<h3>Policy maps</h3>', inlineSvg((await plotQValueMap(table, { actionNames, dimNames })).svg), inlineSvg((await plotGreedyActionMap(table, { actionNames, dimNames })).svg));
      plots += 2;
      if (env === 'drift-vamm-v0') {
        const traces = driftEpisodes(join(dir, 'policy.json'), discretize, (config.envOptions ?? {}) as Record<string, unknown>);
        parts.push(`<h3>One episode (env seed ${REPORT_EPISODE_SEED})</h3>`, inlineSvg((await plotMarkOracle(traces[0]!)).svg), inlineSvg((await plotFeePool(traces)).svg));
        plots += 2;
      }
    }
  }
  return { heading: `Training run: q-learning on ${env}`, html: parts.join('\n'), plots, tables: 1 };
}

function actionMeaningsOf(env: Env<unknown, unknown>): string[] | undefined {
  const names = (env.unwrapped as unknown as { actionMeanings?: readonly string[] }).actionMeanings;
  env.close();
  return Array.isArray(names) ? [...names] : undefined;
}

/** The trained greedy policy, noop and formulaic on the same seed of drift-vamm-v0 (the run's env options). */
function driftEpisodes(policyPath: string, d: { bins: number[]; low: number[]; high: number[] }, kwargs: Record<string, unknown>): EpisodeTrace[] {
  const raw = () => make('drift-vamm-v0', kwargs) as Env<unknown, unknown>;
  const meanings = actionMeaningsOf(raw()) ?? [];
  const trained = new DiscretizeObservation(raw() as never, { bins: d.bins, low: d.low, high: d.high }) as unknown as Env<unknown, unknown>;
  const runs: [Env<unknown, unknown>, Policy][] = [
    [trained, loadPolicy(policyPath)],
    [raw(), new NoopPolicy(0)],
    [raw(), new FormulaicPolicy(meanings)],
  ];
  return runs.map(([env, policy]) => {
    const t = recordEpisode(env, policy, REPORT_EPISODE_SEED);
    env.close();
    return t;
  });
}

/** A DQN run: training-episode curve against env steps, and the periodic evaluations with their CI. */
export async function dqnSection(dir: string, config: JsonRecord): Promise<Section> {
  const parts: string[] = [commandAndConfig(config, 'config.json')];
  let plots = 0;
  let tables = 0;
  const env = str(config.env, 'env');
  if (hasFile(dir, 'episodes.csv')) {
    const rows = readCsv(dir, 'episodes.csv');
    const file = join(dir, 'episodes.csv');
    parts.push(inlineSvg((await plotLearningCurve([{ label: dir, x: numericColumn(rows, 'step', file), y: numericColumn(rows, 'return', file) }], { title: `DQN on ${env}: training episodes`, xTitle: 'environment step' })).svg));
    plots++;
  }
  if (hasFile(dir, 'evaluations.csv')) {
    const rows = readCsv(dir, 'evaluations.csv');
    const file = join(dir, 'evaluations.csv');
    const steps = numericColumn(rows, 'step', file);
    const perEval = rows.map((r, i) => r.returns!.split(' ').filter((s) => s !== '').map((s) => {
      const v = Number(s);
      if (!Number.isFinite(v)) throw new ReportInputError(`${file} line ${i + 2}, column returns: ${JSON.stringify(s)} is not a finite number`);
      return v;
    }));
    const stats = perEval.map(meanCi95);
    parts.push('<h3>Periodic evaluations (greedy)</h3>', htmlTable(['step', 'episodes', 'mean return', '95 % CI low', '95 % CI high'],
      stats.map((s, i) => [steps[i], perEval[i]!.length, s.mean, s.lo, s.hi])));
    tables++;
    // one "run" per evaluation episode index: the band is then the CI across evaluation episodes
    const width = Math.min(...perEval.map((r) => r.length));
    const runs = Array.from({ length: width }, (_, e) => ({ label: `eval episode ${e}`, x: steps, y: perEval.map((r) => r[e]!) }));
    if (width > 0) {
      parts.push(inlineSvg((await plotLearningCurve(runs, { title: `DQN on ${env}: periodic evaluations`, xTitle: 'environment step', window: 1, across: 'evaluation episodes' })).svg));
      plots++;
    }
  }
  return { heading: `Training run: DQN on ${env}`, html: parts.join('\n'), plots, tables };
}

const METRIC_HEADERS: Readonly<Record<string, string>> = {
  feesUsd: 'fees (USD)', adjustmentCostUsd: 'adj. cost (USD)', fundingUsd: 'funding (USD)', trackingErrorBps: 'tracking (bps)', rejections: 'rejections',
};

/** An evaluation run: the results table (IQM, CI, metrics) and the IQM plot. */
export async function evaluationSection(dir: string): Promise<Section> {
  const results = readJson(dir, 'results.json');
  const policies = results.policies;
  if (!Array.isArray(policies) || policies.length === 0) throw new ReportInputError(`${join(dir, 'results.json')}: no "policies" array; expected the results an evaluate run writes`);
  type Row = { policy: string; mean: number; iqm: number; ci95: [number, number]; meanLength: number; metrics?: Record<string, number> };
  const rows = policies as Row[];
  const metricKeys = [...new Set(rows.flatMap((r) => Object.keys(r.metrics ?? {})))];
  const header = ['policy', 'IQM return', '95 % CI low', '95 % CI high', 'mean return', 'mean length', ...metricKeys.map((k) => METRIC_HEADERS[k] ?? k)];
  const table = htmlTable(header, rows.map((r) => [r.policy, r.iqm, r.ci95[0], r.ci95[1], r.mean, r.meanLength, ...metricKeys.map((k) => r.metrics?.[k])]));
  const { policies: _p, seedList, history, ...config } = results;
  const seeds = Array.isArray(seedList) ? `${seedList.length} seeds (${seedList[0]}…${seedList[seedList.length - 1]})` : '';
  const historyNote = history === undefined ? '' : `<p class="note">replayed history: ${escapeHtml(JSON.stringify(history).slice(0, 300))}</p>`;
  const plot = await plotEvaluation(rows, { title: `Evaluation on ${str(results.env, 'env')}: IQM per policy` });
  return {
    heading: `Evaluation run on ${str(results.env, 'env')}`,
    html: [commandAndConfig(config, 'results.json'), `<h3>Results</h3><p class="note">${escapeHtml(seeds)}, common random numbers across policies</p>`, historyNote, table, inlineSvg(plot.svg)].join('\n'),
    plots: 1, tables: 1,
  };
}

interface ClassifierModelRow {
  readonly model: string;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly auc: number | null;
  readonly foldAucMean: number | null;
  readonly confusion: ConfusionMatrix;
}

/** A `fit classifier` run: the metrics table, ROC curves and confusion matrices (classifiers.json). */
export async function classifierSection(dir: string, config: JsonRecord): Promise<Section> {
  const results = readJson(dir, 'classifiers.json');
  const models = results.models as unknown as ClassifierModelRow[] | undefined;
  const roc = results.roc as unknown as { model: string; yTrue: number[]; scores: number[] }[] | undefined;
  if (!Array.isArray(models) || !Array.isArray(roc)) {
    throw new ReportInputError(`report: ${join(dir, 'classifiers.json')} has no models / roc arrays (written by \`damm-gym fit classifier\`)`);
  }
  const table = htmlTable(
    ['model', 'accuracy', 'precision', 'recall', 'F1', 'ROC AUC', 'mean fold AUC', 'tp', 'fp', 'tn', 'fn'],
    models.map((m) => [m.model, m.accuracy, m.precision, m.recall, m.f1, m.auc, m.foldAucMean, m.confusion.tp, m.confusion.fp, m.confusion.tn, m.confusion.fn]),
  );
  const balance = `${String(results.positives)} successes / ${String(results.negatives)} failures labelled; pooled over the time-ordered test folds`;
  const rocPlot = await plotRoc(roc, { title: 'Repeg / k success classifiers: ROC on time-ordered test folds' });
  const confusion = await plotConfusionMatrices(models.map((m) => ({ model: m.model, confusion: m.confusion })));
  return {
    heading: 'Success classifiers (fit classifier)',
    html: [commandAndConfig(config, 'config.json'), `<h3>Metrics</h3><p class="note">${escapeHtml(balance)}</p>`, table, inlineSvg(rocPlot.svg), inlineSvg(confusion.svg)].join('\n'),
    plots: 2, tables: 1,
  };
}

/** Any other run with a config.json: its command and config, and metrics.json as a table when present. */
export function genericSection(dir: string, config: JsonRecord): Section {
  const parts = [commandAndConfig(config, 'config.json')];
  let tables = 0;
  if (hasFile(dir, 'metrics.json')) {
    const metrics = readJson(dir, 'metrics.json');
    const flat = Object.entries(metrics).filter(([, v]) => typeof v !== 'object' || v === null);
    parts.push('<h3>Metrics (metrics.json)</h3>', htmlTable(['metric', 'value'], flat), codeBlock(JSON.stringify(metrics, null, 2)));
    tables++;
  }
  return { heading: `Run: ${str(config.algorithm, str(config.model, 'run'))}`, html: parts.join('\n'), plots: 0, tables };
}
