/**
 * The simulator's side of the sequence features: hourly rows and the static curve state built from
 * drift-vamm's step infos with the same formulas data/drift-v1/sequenceDataset.ts applies to the
 * history's records (mapping in sequencePolicy.ts's module comment).
 */
import { AgentConfigError } from '../errors.js';

/** Class names the policy acts on; output 0 of the magnitude head is ln|Δpeg bps|, output 1 ln √k scale. */
export const SEQUENCE_POLICY_CLASSES = ['repeg-up', 'repeg-down', 'k'] as const;
const RESERVE = 1e13;

/** The hourly row of the window (the same formula as the dataset's `hourlyFeatures`). */
export function hourlyRow(previousOracleTwapUsd: number, oracleTwapUsd: number, markTwapUsd: number): [number, number] {
  return [Math.log(oracleTwapUsd / previousOracleTwapUsd), (markTwapUsd / oracleTwapUsd - 1) * 1e4];
}

/** The static features (the same formulas as the dataset's `curveStateFeatures`). */
export function staticRow(
  netBase: number, sqrtKBase: number, firstSqrtKBase: number, hoursSinceLastEvent: number, feePoolUsd: number, totalFeeUsd: number,
  lastClass: string | null,
): number[] {
  return [
    netBase / sqrtKBase,
    Math.log(sqrtKBase / firstSqrtKBase),
    Math.log1p(Math.max(0, hoursSinceLastEvent)),
    totalFeeUsd > 0 ? (feePoolUsd - totalFeeUsd / 2) / totalFeeUsd : 0,
    ...SEQUENCE_POLICY_CLASSES.map((c) => (lastClass === c ? 1 : 0)),
  ];
}

const INFO_FIELDS = ['markUsd', 'oracleUsd', 'pegUsd', 'sqrtK', 'longOiBase', 'shortOiBase', 'tfmdUsd', 'totalFeeUsd'] as const;
export type StepInfo = Record<(typeof INFO_FIELDS)[number], number>;

export function readInfo(info: Readonly<Record<string, unknown>>, who: string): StepInfo {
  for (const f of INFO_FIELDS) {
    if (typeof info[f] !== 'number' || !Number.isFinite(info[f])) {
      throw new AgentConfigError(`info.${f}`, info[f], `a finite number in every step info (drift-vamm-v0 / drift-replay-v0 give ${INFO_FIELDS.join(', ')})`, who);
    }
  }
  return info as unknown as StepInfo;
}

/**
 * The rolling features of an episode, fed one step info at a time (the reset info first): hourly
 * TWAP rows of the last `windowHours` hours and the live curve state (module comment for the mapping).
 */
export class InfoFeatureTracker {
  private infos = 0;
  private sqrtK0 = 0;
  private lastPegUsd = 0;
  private lastSqrtK = 0;
  private lastChangeStep = 0;
  private lastClass: (typeof SEQUENCE_POLICY_CLASSES)[number] | null = null;
  private previousOracleTwap = 0;
  private hourOracleSum = 0;
  private hourMarkSum = 0;
  private hourSteps = 0;
  private readonly hours: [number, number][] = [];
  private current: StepInfo | null = null;

  constructor(readonly windowHours: number, readonly stepsPerHour: number, private readonly who = 'InfoFeatureTracker') {
    if (!(Number.isSafeInteger(windowHours) && windowHours >= 1)) throw new AgentConfigError('windowHours', windowHours, 'an integer ≥ 1', who);
    if (!(Number.isSafeInteger(stepsPerHour) && stepsPerHour >= 1)) throw new AgentConfigError('stepsPerHour', stepsPerHour, 'an integer ≥ 1', who);
  }

  /** Steps taken since reset (the number of infos observed after the reset info). */
  get steps(): number {
    return Math.max(0, this.infos - 1);
  }

  reset(): void {
    this.infos = 0;
    this.hours.length = 0;
    this.current = null;
  }

  observe(info: Readonly<Record<string, unknown>>): void {
    const i = readInfo(info, this.who);
    if (this.infos++ === 0) {
      this.sqrtK0 = i.sqrtK;
      this.previousOracleTwap = i.oracleUsd;
      this.lastChangeStep = 0;
      this.lastClass = null;
      this.hourOracleSum = 0;
      this.hourMarkSum = 0;
      this.hourSteps = 0;
    } else {
      if (i.pegUsd !== this.lastPegUsd || i.sqrtK !== this.lastSqrtK) {
        this.lastChangeStep = this.steps;
        // a step that moved both is a repeg then a k change, as the history records them
        this.lastClass = i.sqrtK !== this.lastSqrtK ? 'k' : i.pegUsd > this.lastPegUsd ? 'repeg-up' : 'repeg-down';
      }
      this.hourOracleSum += i.oracleUsd;
      this.hourMarkSum += i.markUsd;
      if (++this.hourSteps === this.stepsPerHour) {
        const oracleTwap = this.hourOracleSum / this.hourSteps;
        this.hours.push(hourlyRow(this.previousOracleTwap, oracleTwap, this.hourMarkSum / this.hourSteps));
        if (this.hours.length > this.windowHours) this.hours.shift();
        this.previousOracleTwap = oracleTwap;
        this.hourOracleSum = 0;
        this.hourMarkSum = 0;
        this.hourSteps = 0;
      }
    }
    this.lastPegUsd = i.pegUsd;
    this.lastSqrtK = i.sqrtK;
    this.current = i;
  }

  /** The last observed info's numbers. */
  get info(): Readonly<StepInfo> {
    if (this.current === null) throw new AgentConfigError('info', null, 'observe() called with the reset info first', this.who);
    return this.current;
  }

  /** Raw (unscaled) window, flat hours first where fewer than `windowHours` have passed, and static features. */
  features(): { window: number[][]; static: number[] } {
    const i = this.info;
    const window: number[][] = [];
    for (let h = this.hours.length; h < this.windowHours; h++) window.push([0, 0]);
    for (const row of this.hours) window.push([...row]);
    const stat = staticRow(
      i.longOiBase - i.shortOiBase, i.sqrtK / RESERVE, this.sqrtK0 / RESERVE, (this.steps - this.lastChangeStep) / this.stepsPerHour, i.tfmdUsd, i.totalFeeUsd,
      this.lastClass,
    );
    return { window, static: stat };
  }
}
