/**
 * The scalar env's info numbers for N sub-envs, one preallocated column per key (the layout
 * `addVectorInfo` gives them: a Float64Array per number, a Uint8Array per boolean). The two strings
 * are left out or coded: `action` is the action the caller passed (`G3M_ACTION_MEANINGS[a]`,
 * 'continuous', or 'reset' on a reset row), and `terminationCode` indexes `G3M_TERMINATION_REASONS`
 * (0: none, 1: 'depleted').
 */

/** `terminationCode` → the scalar env's `info.termination`. */
export const G3M_TERMINATION_REASONS: readonly ('depleted' | null)[] = Object.freeze([null, 'depleted']);
export const TERMINATION_DEPLETED = 1;

/** The numeric info keys, in the scalar env's order. */
export const G3M_INFO_NUMBER_KEYS = Object.freeze([
  'step', 'reward', 'p', 'fee', 'priceNumeraire', 'poolPriceNumeraire', 'riskyTokens', 'numeraire', 'poolValueNumeraire',
  'realizedVol', 'feesNumeraire', 'arbLossNumeraire', 'noiseMarkoutNumeraire', 'arbVolumeNumeraire', 'noiseVolumeNumeraire',
  'arbTrades', 'noiseTrades', 'noiseDeclined', 'noiseInadmissible',
] as const);

export type G3mInfoNumberKey = (typeof G3M_INFO_NUMBER_KEYS)[number];

export class G3mInfoColumns {
  readonly step: Float64Array;
  readonly reward: Float64Array;
  readonly p: Float64Array;
  readonly fee: Float64Array;
  readonly priceNumeraire: Float64Array;
  readonly poolPriceNumeraire: Float64Array;
  readonly riskyTokens: Float64Array;
  readonly numeraire: Float64Array;
  readonly poolValueNumeraire: Float64Array;
  readonly realizedVol: Float64Array;
  readonly feesNumeraire: Float64Array;
  readonly arbLossNumeraire: Float64Array;
  readonly noiseMarkoutNumeraire: Float64Array;
  readonly arbVolumeNumeraire: Float64Array;
  readonly noiseVolumeNumeraire: Float64Array;
  readonly arbTrades: Float64Array;
  readonly noiseTrades: Float64Array;
  readonly noiseDeclined: Float64Array;
  readonly noiseInadmissible: Float64Array;
  /** 1 where a discrete action asked to move past the end of a grid. */
  readonly clamped: Uint8Array;
  readonly terminationCode: Int32Array;

  constructor(readonly numEnvs: number) {
    const f = () => new Float64Array(numEnvs);
    this.step = f();
    this.reward = f();
    this.p = f();
    this.fee = f();
    this.priceNumeraire = f();
    this.poolPriceNumeraire = f();
    this.riskyTokens = f();
    this.numeraire = f();
    this.poolValueNumeraire = f();
    this.realizedVol = f();
    this.feesNumeraire = f();
    this.arbLossNumeraire = f();
    this.noiseMarkoutNumeraire = f();
    this.arbVolumeNumeraire = f();
    this.noiseVolumeNumeraire = f();
    this.arbTrades = f();
    this.noiseTrades = f();
    this.noiseDeclined = f();
    this.noiseInadmissible = f();
    this.clamped = new Uint8Array(numEnvs);
    this.terminationCode = new Int32Array(numEnvs);
  }

  /** Copies sub-env i's row of `src` into this. */
  copyRow(src: G3mInfoColumns, i: number): void {
    for (const key of G3M_INFO_NUMBER_KEYS) this[key][i] = src[key][i]!;
    this.clamped[i] = src.clamped[i]!;
    this.terminationCode[i] = src.terminationCode[i]!;
  }

  /** The columns as a vector-info object: `key` → column plus a `_key` mask (shared). */
  toVectorInfo(mask: Uint8Array): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of [...G3M_INFO_NUMBER_KEYS, 'clamped', 'terminationCode'] as const) {
      out[key] = this[key];
      out[`_${key}`] = mask;
    }
    return out;
  }
}
