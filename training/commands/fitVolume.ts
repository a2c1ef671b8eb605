/**
 * `damm-gym fit volume`: the source's volume regression on Drift v1 history, the trader
 * calibration from the trade snapshot, and the calibrated drift-vamm-v0 presets built from both
 * (written into env/tasks/drift-vamm/calibration.ts with --write-calibration).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { DRIFT_V1_FILES, PACKAGE_ROOT, resolveDataDir } from '../../data/dataDir.js';
import { loadCurveHistory, type CurveRecord } from '../../data/drift-v1/curveHistory.js';
import { loadFundingHistory } from '../../data/drift-v1/fundingHistory.js';
import { loadTradeSnapshot } from '../../data/drift-v1/tradeSnapshot.js';
import { loadMarketsState, type MarketsState } from '../../data/drift-v1/marketsState.js';
import { marketIndexOf, marketSymbol } from '../../data/drift-v1/markets.js';
import { buildVolumeSeries, type VolumeInterval, type VolumeSeries } from '../../data/drift-v1/volumeSeries.js';
import { calibrateTrades, summarizeVolume, type TradeCalibration, type TradeSnapshotCalibration, type VolumeSummary } from '../../data/drift-v1/calibration.js';
import {
  crossValidateVolumeModel, fitVolumeModel, predictVolumeRate, RegressionDesignError, VOLUME_MODEL_VARIANTS,
  type VolumeCvResult, type VolumeModel, type VolumeModelVariant, type VolumeSample,
} from '../../agents/supervised/volumeRegression.js';
import { calculatePrice } from '../../env/amm/drift-v1/price.js';
import { markRawToUsd, quoteRawToUsd, reserveRawToBase } from '../../env/amm/drift-v1/units.js';
import { InvalidArgumentError } from '../../env/core/errors.js';
import { MARKET_PRESETS, type MarketPreset } from '../../env/tasks/drift-vamm/presets.js';
import type { CalibratedMarket } from '../../env/tasks/drift-vamm/calibration.js';
import { writeFileAtomic } from '../files.js';
import { formatTable, toJson } from '../output.js';

/** The committed calibration table that --write-calibration rewrites by default. */
export const CALIBRATION_FILE = join(PACKAGE_ROOT, 'env/tasks/drift-vamm/calibration.ts');
const BEGIN = '// BEGIN GENERATED (damm-gym fit volume --write-calibration)';
const END = '// END GENERATED';
/** Significant digits of the committed parameters: far below their standard errors. */
const DIGITS = 4;

export interface FitVolumeArgs {
  /** A market symbol or index, or 'all'. */
  market: string;
  variant: VolumeModelVariant | 'all';
  folds: number;
  minTrain: number;
  includeOutliers: boolean;
  /** true: the committed table; a string: that file (it must hold the GENERATED markers). */
  writeCalibration?: boolean | string;
  dataDir?: string;
  json: boolean;
}

export interface VolumeData {
  readonly files: { readonly curveHistory: string; readonly fundingHistory: string; readonly tradeSnapshot: string; readonly marketsState: string };
  readonly curve: readonly CurveRecord[];
  readonly series: VolumeSeries;
  readonly trades: TradeSnapshotCalibration;
  readonly marketsState: MarketsState;
}

/** Load the four Drift v1 files and derive the volume series and the trade calibration. */
export async function loadVolumeData(dataDir?: string): Promise<VolumeData> {
  const dir = resolveDataDir(dataDir).dir;
  const files = {
    curveHistory: join(dir, DRIFT_V1_FILES.curveHistory),
    fundingHistory: join(dir, DRIFT_V1_FILES.fundingRateHistory),
    tradeSnapshot: join(dir, DRIFT_V1_FILES.tradeSnapshot),
    marketsState: join(dir, DRIFT_V1_FILES.marketsState),
  };
  const curve = await loadCurveHistory(files.curveHistory);
  const funding = await loadFundingHistory(files.fundingHistory);
  const snapshot = await loadTradeSnapshot(files.tradeSnapshot);
  const marketsState = await loadMarketsState(files.marketsState);
  return {
    files,
    curve: curve.records,
    series: buildVolumeSeries(curve.records, funding.records),
    trades: calibrateTrades(snapshot.records),
    marketsState,
  };
}

/** Regression samples of one market (or all, with the symbol as group), time-ordered. */
export function volumeSamples(intervals: readonly VolumeInterval[], includeOutliers: boolean, market?: number): VolumeSample[] {
  return intervals
    .filter((i) => (market === undefined || i.marketIndex === market) && i.hours > 0 && (i.flag === null || (includeOutliers && i.flag === 'fee-anomaly')))
    .map((i) => ({ ts: i.fromTs, hours: i.hours, volumeUsdPerHour: i.volumeUsdPerHour, priceUsd: i.markUsd, sqrtKBase: i.sqrtKBase, group: i.symbol }))
    .sort((a, b) => a.ts - b.ts);
}

export interface VolumeRegressionReport {
  /** Market symbol, or 'pooled' for the fixed-effects fit over all markets. */
  readonly market: string;
  readonly variant: VolumeModelVariant;
  readonly fixedEffects: boolean;
  /** null when the market's data cannot identify the model (the reason is in `error`). */
  readonly model: VolumeModel | null;
  readonly cv: VolumeCvResult | null;
  readonly error: string | null;
}

function regress(market: string, samples: readonly VolumeSample[], variant: VolumeModelVariant, fixedEffects: boolean, args: Pick<FitVolumeArgs, 'folds' | 'minTrain'>): VolumeRegressionReport {
  try {
    const model = fitVolumeModel(samples, variant, { fixedEffects });
    const cv = crossValidateVolumeModel(samples, variant, { folds: args.folds, minTrainFraction: args.minTrain, fixedEffects });
    return { market, variant, fixedEffects, model, cv, error: null };
  } catch (err) {
    if (!(err instanceof RegressionDesignError)) throw err;
    return { market, variant, fixedEffects, model: null, cv: null, error: err.message };
  }
}

/** The pooled log-log fit with market fixed effects: the elasticity every calibrated preset uses. */
export function pooledVolumeModel(series: VolumeSeries, includeOutliers = false): VolumeModel {
  return fitVolumeModel(volumeSamples(series.intervals, includeOutliers), 'log-log', { fixedEffects: true });
}

function presetMarkUsd(p: MarketPreset): number {
  return markRawToUsd(calculatePrice(BigInt(p.quoteAssetReserve), BigInt(p.baseAssetReserve), BigInt(p.pegMultiplier)));
}

function round(x: number): number {
  return Number(x.toPrecision(DIGITS));
}

/**
 * Calibrated trader flow for every preset market that has volume history: the volume level at the
 * preset's state and the depth elasticity from the pooled log-log fit, the trader statistics from
 * the snapshot (pooled for markets without trades), the holding time from Little's law. Values are
 * rounded to 4 significant digits, the form committed in env/tasks/drift-vamm/calibration.ts.
 */
export function buildCalibration(series: VolumeSeries, trades: TradeSnapshotCalibration, presets: Readonly<Record<string, MarketPreset>> = MARKET_PRESETS): CalibratedMarket[] {
  const model = pooledVolumeModel(series);
  const beta = model.fit.coefficients[model.fit.names.indexOf('lnSqrtK')];
  const summaries = new Map(summarizeVolume(series.intervals).map((s) => [s.symbol, s]));
  const out: CalibratedMarket[] = [];
  for (const preset of Object.values(presets).sort((a, b) => a.marketIndex - b.marketIndex)) {
    const summary = summaries.get(preset.symbol);
    if (summary === undefined || !model.groups.includes(preset.symbol)) continue;
    const own = trades.markets.find((t) => t.marketIndex === preset.marketIndex);
    const t = own ?? trades.pooled;
    const sqrtK0 = reserveRawToBase(preset.sqrtK);
    out.push({
      symbol: preset.symbol,
      marketIndex: preset.marketIndex,
      tradeSource: own ? 'snapshot' : 'pooled',
      volumeUsdPerHour: round(predictVolumeRate(model, { priceUsd: presetMarkUsd(preset), sqrtKBase: sqrtK0, group: preset.symbol })),
      historicalVolumeUsdPerHour: round(summary.volumeUsdPerHour),
      elasticity: round(beta / 2),
      maxMultiple: round(Math.max(1, (summary.sqrtKMax / sqrtK0) ** beta)),
      informedShare: round(t.informed.share),
      informedMaxUsd: round(t.notional.maxUsd),
      uninformedMedianUsd: round(t.notional.medianUsd),
      uninformedSigma: round(t.notional.sigma),
      meanHoldingHours: round(summary.meanHoldingHours),
    });
  }
  return out;
}

/** The GENERATED block of env/tasks/drift-vamm/calibration.ts for these markets. */
export function renderCalibrationBlock(markets: readonly CalibratedMarket[]): string {
  const value = (v: string | number) => (typeof v === 'string' ? `'${v}'` : String(v));
  const line = (c: CalibratedMarket) => `  ${c.symbol}: { ${Object.entries(c).map(([k, v]) => `${k}: ${value(v as string | number)}`).join(', ')} },`;
  return [BEGIN, 'export const CALIBRATED_MARKETS: Readonly<Record<string, CalibratedMarket>> = Object.freeze({', ...markets.map(line), '});', END].join('\n');
}

/** Replace the GENERATED block of `file` (atomically); the file must already hold both markers. */
export function writeCalibrationFile(file: string, markets: readonly CalibratedMarket[]): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidArgumentError(`--write-calibration ${JSON.stringify(file)}: cannot read it (${(err as Error).message}); it must be a copy of env/tasks/drift-vamm/calibration.ts`);
  }
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < start) {
    throw new InvalidArgumentError(`--write-calibration ${JSON.stringify(file)}: no "${BEGIN}" … "${END}" block; allowed: a copy of env/tasks/drift-vamm/calibration.ts`);
  }
  writeFileAtomic(file, text.slice(0, start) + renderCalibrationBlock(markets) + text.slice(end + END.length));
}

export interface SnapshotVolumeCheck {
  readonly symbol: string;
  /** Notional in the snapshot window per hour, USD. */
  readonly snapshotUsdPerHour: number;
  /** Δtotal_fee/feeRate per hour from the last curve record before the window to the markets-state snapshot at its end. */
  readonly feeAccountingUsdPerHour: number;
  readonly feeAccountingHours: number;
}

/**
 * The snapshot's 32-minute rate next to the fee accounting around it: does the volume series
 * measure the same flow as the trades? (The markets-state file is the same flat-data commit as the
 * trades; its total_fee is taken at the last trade's time.)
 */
export function snapshotVolumeCheck(curve: readonly CurveRecord[], state: MarketsState, trades: TradeSnapshotCalibration, feeRate: number): SnapshotVolumeCheck[] {
  return trades.markets.flatMap((t) => {
    const before = curve.filter((r) => r.marketIndex === t.marketIndex && r.ts <= trades.fromTs).at(-1);
    const s = state.markets.find((m) => m.marketIndex === t.marketIndex);
    if (before === undefined || s === undefined) return [];
    const hours = (trades.toTs - before.ts) / 3600;
    return [{
      symbol: t.symbol,
      snapshotUsdPerHour: t.volumeUsdPerHour,
      feeAccountingUsdPerHour: (s.totalFeeUsd - quoteRawToUsd(before.totalFee)) / feeRate / hours,
      feeAccountingHours: hours,
    }];
  });
}

export interface FitVolumeResult {
  readonly files: VolumeData['files'];
  readonly feeRate: number;
  readonly intervals: { readonly total: number; readonly used: number; readonly flagged: Record<string, number> };
  readonly regressions: VolumeRegressionReport[];
  readonly pooled: VolumeModel;
  readonly traders: TradeSnapshotCalibration;
  readonly volume: VolumeSummary[];
  readonly snapshotCheck: SnapshotVolumeCheck[];
  readonly calibration: CalibratedMarket[];
  readonly wrote: string | null;
  readonly seconds: number;
}

function checkArgs(args: FitVolumeArgs): void {
  if (!Number.isInteger(args.folds) || args.folds < 1) throw new InvalidArgumentError(`--folds ${JSON.stringify(args.folds)} is not allowed; allowed: an integer ≥ 1`);
  if (!(args.minTrain > 0 && args.minTrain < 1)) throw new InvalidArgumentError(`--min-train ${JSON.stringify(args.minTrain)} is not allowed; allowed: a fraction in (0, 1)`);
}

export async function fitVolume(args: FitVolumeArgs): Promise<FitVolumeResult> {
  checkArgs(args);
  const markets = args.market.toLowerCase() === 'all' ? null : [marketIndexOf(args.market, '--market')];
  const started = performance.now();
  const data = await loadVolumeData(args.dataDir);
  const { series } = data;
  const variants = args.variant === 'all' ? VOLUME_MODEL_VARIANTS : [args.variant];
  const present = [...new Set(series.intervals.map((i) => i.marketIndex))];
  const chosen = markets ?? present.sort((a, b) => a - b);
  const regressions: VolumeRegressionReport[] = [];
  for (const m of chosen) {
    const samples = volumeSamples(series.intervals, args.includeOutliers, m);
    for (const v of variants) regressions.push(regress(marketSymbol(m), samples, v, false, args));
  }
  if (markets === null) regressions.push(regress('pooled', volumeSamples(series.intervals, args.includeOutliers), 'log-log', true, args));
  const flagged: Record<string, number> = {};
  for (const i of series.intervals) if (i.flag !== null) flagged[i.flag] = (flagged[i.flag] ?? 0) + 1;
  const calibrationAll = buildCalibration(series, data.trades);
  let wrote: string | null = null;
  if (args.writeCalibration !== undefined && args.writeCalibration !== false) {
    wrote = args.writeCalibration === true || args.writeCalibration === '' ? CALIBRATION_FILE : args.writeCalibration;
    writeCalibrationFile(wrote, calibrationAll);
  }
  const keep = <T extends { symbol: string }>(xs: readonly T[]) => (markets === null ? [...xs] : xs.filter((x) => x.symbol === marketSymbol(markets[0])));
  return {
    files: data.files,
    feeRate: series.feeRate,
    intervals: { total: series.intervals.length, used: volumeSamples(series.intervals, args.includeOutliers).length, flagged },
    regressions,
    pooled: pooledVolumeModel(series, args.includeOutliers),
    traders: markets === null ? data.trades : { ...data.trades, markets: data.trades.markets.filter((t) => t.marketIndex === markets[0]) },
    volume: keep(summarizeVolume(series.intervals)),
    snapshotCheck: keep(snapshotVolumeCheck(data.curve, data.marketsState, data.trades, series.feeRate)),
    calibration: keep(calibrationAll),
    wrote,
    seconds: (performance.now() - started) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------
// Output

function sig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

const usd = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : String(x));
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

function regressionRows(reports: readonly VolumeRegressionReport[]): string[][] {
  return reports.map((r) => {
    if (r.model === null || r.cv === null) return [r.market, r.variant, '', '', `not identifiable: ${r.error}`];
    const f = r.model.fit;
    const terms = f.names.slice(1, 3).join(', ');
    const coef = (j: number) => `${sig(f.coefficients[j])} ± ${sig(f.stdErrors[j], 2)}`;
    const fe = f.names.length > 3 ? ` +${f.names.length - 3} FE` : '';
    return [
      r.fixedEffects ? 'pooled' : r.market, r.variant, String(f.n), usd(r.model.hours),
      terms + fe, coef(0), coef(1), coef(2), f.r2.toFixed(3), f.adjR2.toFixed(3),
      usd(r.cv.rmse), usd(r.cv.mae), usd(r.cv.baselineRmse), Number.isFinite(r.cv.skill) ? r.cv.skill.toFixed(3) : 'n/a',
    ];
  });
}

function traderRow(t: TradeCalibration, holding: VolumeSummary | undefined): string[] {
  const i = t.informed;
  return [
    t.symbol, String(t.trades), `${t.arrivalsPerMinute.toFixed(2)} [${t.arrivalsPerMinuteCi[0].toFixed(2)}, ${t.arrivalsPerMinuteCi[1].toFixed(2)}]`,
    usd(t.notional.medianUsd), t.notional.sigma.toFixed(2), usd(t.notional.maxUsd), pct(t.longShare),
    `${i.consistent}/${i.decided} = ${i.pConsistent.toFixed(3)}`, `${i.share.toFixed(2)} [${i.ci[0].toFixed(2)}, ${i.ci[1].toFixed(2)}]`,
    (t.feeRate * 1e4).toFixed(2), holding === undefined ? 'n/a' : holding.meanHoldingHours.toFixed(1),
  ];
}

function printText(r: FitVolumeResult): void {
  const flagged = Object.entries(r.intervals.flagged).map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
  console.log(`volume series: ${r.intervals.total} intervals between consecutive curve records (flagged and left out: ${flagged}); volume = Δtotal_fee / ${r.feeRate}; weights = interval hours`);
  console.log('\nvolume regression (USD/hour on the state at the interval start), weighted least squares, expanding-window CV:');
  console.log(formatTable(
    ['market', 'model', 'n', 'hours', 'terms (β1, β2)', 'β0 ± se', 'β1 ± se', 'β2 ± se', 'R²', 'adj R²', 'CV RMSE $/h', 'CV MAE $/h', 'mean-only RMSE', 'skill'],
    regressionRows(r.regressions),
  ));
  const p = r.pooled.fit;
  const j = p.names.indexOf('lnSqrtK');
  console.log(`\npooled log-log fit with market fixed effects (${p.n} intervals): elasticity of volume to √k ${p.coefficients[j].toFixed(3)} ± ${p.stdErrors[j].toFixed(3)} `
    + `(ε on k = ${(p.coefficients[j] / 2).toFixed(3)}), to price ${p.coefficients[1].toFixed(3)} ± ${p.stdErrors[1].toFixed(3)}; R² ${p.r2.toFixed(3)}`);
  const t = r.traders;
  console.log(`\ntraders (trade snapshot ${new Date(t.fromTs * 1000).toISOString()} → ${new Date(t.toTs * 1000).toISOString()}, ${(((t.toTs - t.fromTs) / 60)).toFixed(1)} min; λi = 2·P(consistent) − 1, CI clustered by wallet; holding time by Little's law on the volume series):`);
  const holding = new Map(r.volume.map((v) => [v.symbol, v]));
  console.log(formatTable(
    ['market', 'trades', 'trades/min [95% CI]', 'median $', 'σ ln', 'max $', 'long', 'P(consistent)', 'λi [95% CI]', 'fee bps', 'holding h'],
    [...t.markets.map((m) => traderRow(m, holding.get(m.symbol))), ...(t.markets.length > 1 ? [traderRow(t.pooled, undefined)] : [])],
  ));
  if (r.snapshotCheck.length > 0) {
    console.log('\nsnapshot window vs fee accounting (USD/hour):');
    console.log(formatTable(
      ['market', 'snapshot (32 min)', 'fee accounting', 'over hours', 'history mean'],
      r.snapshotCheck.map((c) => [c.symbol, usd(c.snapshotUsdPerHour), usd(c.feeAccountingUsdPerHour), c.feeAccountingHours.toFixed(1), usd(holding.get(c.symbol)?.volumeUsdPerHour ?? NaN)]),
    ));
  }
  console.log('\ncalibrated drift-vamm-v0 traders (make(\'drift-vamm-v0\', { market, calibrated: true })):');
  console.log(formatTable(
    ['market', 'volume $/h at preset', 'history $/h', 'ε', 'max multiple', 'λi', 'median $', 'σ', 'informed max $', 'holding h', 'trades from'],
    r.calibration.map((c) => [c.symbol, usd(c.volumeUsdPerHour), usd(c.historicalVolumeUsdPerHour), String(c.elasticity), String(c.maxMultiple), String(c.informedShare), usd(c.uninformedMedianUsd), String(c.uninformedSigma), usd(c.informedMaxUsd), String(c.meanHoldingHours), c.tradeSource]),
  ));
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  console.log(`\nfit volume: ${plural(r.regressions.length, 'regression')}, ${plural(r.calibration.length, 'calibrated market')}${r.wrote ? `; wrote ${r.wrote}` : ''}; ${r.seconds.toFixed(2)} s`);
}

function jsonReport(r: FitVolumeResult): unknown {
  const model = (m: VolumeModel) => ({
    n: m.fit.n,
    hours: m.hours,
    excluded: m.excluded,
    coefficients: m.fit.names.map((name, j) => ({ name, estimate: m.fit.coefficients[j], stdError: m.fit.stdErrors[j], t: m.fit.tStats[j] })),
    r2: m.fit.r2,
    adjR2: m.fit.adjR2,
    residualStdError: m.fit.residualStdError,
    smearing: m.smearing,
  });
  return {
    files: r.files,
    feeRate: r.feeRate,
    intervals: r.intervals,
    regressions: r.regressions.map((g) => ({
      market: g.market,
      variant: g.variant,
      fixedEffects: g.fixedEffects,
      ...(g.model ? model(g.model) : {}),
      cv: g.cv === null ? null : {
        n: g.cv.n, unscored: g.cv.unscored, hours: g.cv.hours, rmse: g.cv.rmse, mae: g.cv.mae, baselineRmse: g.cv.baselineRmse, baselineMae: g.cv.baselineMae, skill: g.cv.skill,
        folds: g.cv.folds.map((f) => ({ trainEnd: f.trainEnd, testStart: f.testStart, testEnd: f.testEnd, error: f.error })),
      },
      error: g.error,
    })),
    pooled: { variant: 'log-log', fixedEffects: true, groups: r.pooled.groups, ...model(r.pooled) },
    traders: r.traders,
    volume: r.volume,
    snapshotCheck: r.snapshotCheck,
    calibration: r.calibration,
    wrote: r.wrote,
    seconds: r.seconds,
  };
}

export function fitVolumeCommand(y: Argv): Argv {
  return y.command(
    'volume',
    'Volume regression volume = β0 + β1·price + β2·k (and √k, √price, log-log variants) on the curve history\'s fee accounting, trader calibration from the trade snapshot, calibrated drift-vamm-v0 presets',
    (c) => c
      .option('market', { type: 'string', default: 'all', describe: 'a market (SOL, BTC, … or an index) or all' })
      .option('variant', { choices: ['all', ...VOLUME_MODEL_VARIANTS] as const, default: 'all' as const, describe: 'regression form' })
      .option('folds', { type: 'number', default: 5, describe: 'expanding-window CV test blocks' })
      .option('min-train', { type: 'number', default: 0.5, describe: 'share of the time-ordered intervals that only train' })
      .option('include-outliers', { type: 'boolean', default: false, describe: 'keep intervals flagged fee-anomaly (LUNA 96–100) in the fits' })
      .option('write-calibration', { type: 'string', describe: 'rewrite the calibrated preset table (default env/tasks/drift-vamm/calibration.ts, or the given copy)' }),
    async (argv) => {
      const a = argv as unknown as Record<string, unknown>;
      const result = await fitVolume({
        market: String(a.market),
        variant: a.variant as FitVolumeArgs['variant'],
        folds: Number(a.folds),
        minTrain: Number(a.minTrain),
        includeOutliers: Boolean(a.includeOutliers),
        writeCalibration: a.writeCalibration === undefined ? undefined : a.writeCalibration === '' ? true : String(a.writeCalibration),
        dataDir: a.dataDir as string | undefined,
        json: Boolean(a.json),
      });
      if (argv.json) process.stdout.write(`${toJson(jsonReport(result))}\n`);
      else printText(result);
    },
  );
}
