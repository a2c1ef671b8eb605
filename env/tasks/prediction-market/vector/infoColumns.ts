/**
 * The scalar env's info for N sub-envs, one preallocated column per key (the layout
 * `addVectorInfo` gives numbers: a Float64Array per key). Its strings and nulls are encoded:
 * `actionCode` is the discrete action index (the scalar's `info.action` is
 * `actionMeanings[actionCode]`), −1 for 'reset' and −2 for 'continuous'; `outcomeCode` is 0 for
 * null, 1 for 'yes', 2 for 'no'; `profit` is NaN where the scalar's is null (before resolution).
 */

/** The numeric info keys, in the scalar env's order. */
export const INFO_NUMBER_KEYS = Object.freeze([
  'step', 'timeToExpiry', 'trueProbability', 'poolProbability', 'poolYes', 'poolNo', 'invariant', 'liquidityMultiple',
  'feeRate', 'informedTrades', 'noiseTrades', 'noiseDeclined', 'volume', 'informedVolume', 'fees', 'lpCash',
  'lpOutsideYes', 'lpOutsideNo', 'wealth', 'revaluation', 'tradingPnl', 'profit',
] as const);

/** The trader-flow keys (`FlowStats`), zero in reset infos. */
export const FLOW_KEYS = Object.freeze(['informedTrades', 'noiseTrades', 'noiseDeclined', 'volume', 'informedVolume', 'fees'] as const);

export const ACTION_CODE_RESET = -1;
export const ACTION_CODE_CONTINUOUS = -2;
/** `outcomeCode` → the scalar env's `info.outcome` (index 0: null). */
export const OUTCOMES: readonly ('yes' | 'no' | null)[] = Object.freeze([null, 'yes', 'no']);

type NumberKey = (typeof INFO_NUMBER_KEYS)[number];

export class InfoColumns {
  readonly columns: Readonly<Record<NumberKey, Float64Array>>;
  readonly actionCode: Int32Array;
  readonly outcomeCode: Int32Array;

  constructor(readonly numEnvs: number) {
    const columns = {} as Record<NumberKey, Float64Array>;
    for (const key of INFO_NUMBER_KEYS) columns[key] = new Float64Array(numEnvs);
    this.columns = columns;
    this.actionCode = new Int32Array(numEnvs);
    this.outcomeCode = new Int32Array(numEnvs);
  }

  /** Copies sub-env i's row of `src` into this. */
  copyRow(src: InfoColumns, i: number): void {
    for (const key of INFO_NUMBER_KEYS) this.columns[key][i] = src.columns[key][i]!;
    this.actionCode[i] = src.actionCode[i]!;
    this.outcomeCode[i] = src.outcomeCode[i]!;
  }

  /** The columns as a vector-info object: `key` → column plus a `_key` mask. */
  toVectorInfo(mask: Uint8Array): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of INFO_NUMBER_KEYS) {
      out[key] = this.columns[key];
      out[`_${key}`] = mask;
    }
    out['actionCode'] = this.actionCode;
    out['_actionCode'] = mask;
    out['outcomeCode'] = this.outcomeCode;
    out['_outcomeCode'] = mask;
    return out;
  }
}
