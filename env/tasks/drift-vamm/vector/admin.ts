/**
 * The admin's action of one sub-env, on the float twin's own guarded `tryRepeg` / `tryUpdateK`
 * through a scratch market (see scratchMarket.ts): the same targets, order, kRange bound and
 * rejection strings as `DriftVammEnv.applyDiscrete` / `applyContinuous`. Rejections come back as
 * an index into `RejectionTable` (0: applied or nothing asked), so a step allocates no string.
 */
import { DriftProtocolError } from '../../../amm/drift-v1/errors.js';
import {
  newAdjustOut, resolveFloatProtocol, tryRepeg, tryUpdateK,
  type FloatMarket, type FloatOracle, type FloatSemantics,
} from '../../../amm/drift-v1/float/index.js';
import { budgetedPegRaw, formulaicSqrtK, oraclePegRaw, type DiscreteAction } from '../actions.js';
import type { DriftVammColumns } from './columns.js';
import { loadAdmin, storeAdmin } from './scratchMarket.js';

/**
 * The rejection strings a step can report ("Code [check]", as the scalar env's `info.rejected`),
 * interned: index 0 is "none", new (code, check) pairs get the next index the first time they occur.
 */
export class RejectionTable {
  private readonly names: string[] = [''];
  private readonly byCode = new Map<string, Map<string, number>>();

  constructor() {
    this.intern('KOutOfRange', 'kRange');
  }

  /** The index of "code [check]" (no allocation once the pair is known). */
  intern(code: string, check: string): number {
    let checks = this.byCode.get(code);
    if (checks === undefined) {
      checks = new Map();
      this.byCode.set(code, checks);
    }
    let index = checks.get(check);
    if (index === undefined) {
      index = this.names.length;
      this.names.push(`${code} [${check}]`);
      checks.set(check, index);
    }
    return index;
  }

  /** The scalar env's `info.rejected` for an index: null for 0. */
  name(index: number): string | null {
    return index === 0 ? null : this.names[index]!;
  }

  /** Every name so far, by index ('' at 0). */
  get all(): readonly string[] {
    return this.names;
  }
}

export class AdminActions {
  readonly rejections = new RejectionTable();
  private readonly fs: FloatSemantics;
  private readonly out = newAdjustOut();
  private readonly oracle: FloatOracle = {
    priceRaw: 0, confidenceRaw: 0, delaySlots: 0, twapRaw: NaN, twapConfidenceRaw: 0, hasSufficientDataPoints: true,
  };
  private readonly kOutOfRange: number;

  constructor(
    private readonly m: FloatMarket,
    private readonly actions: readonly DiscreteAction[],
    private readonly sqrtK0: number,
    private readonly kRange: number,
    private readonly kDeltaMax: number,
    private readonly oracleConfidenceBps: number,
  ) {
    this.fs = resolveFloatProtocol('jan2022');
    this.kOutOfRange = this.rejections.intern('KOutOfRange', 'kRange');
  }

  /** Discrete action `a` on sub-env i; returns the rejection index. Hold touches nothing. */
  applyDiscrete(cols: DriftVammColumns, i: number, a: number): number {
    const action = this.actions[a]!;
    if (action.kind === 'hold') return 0;
    this.begin(cols, i);
    const m = this.m;
    const c = m.curve;
    const P = c.pegMultiplier;
    let rejected = 0;
    switch (action.kind) {
      case 'repeg-oracle':
        rejected = this.repeg(oraclePegRaw(c, this.oracle.priceRaw));
        break;
      case 'repeg-half':
        rejected = this.repeg(Math.round(P + (oraclePegRaw(c, this.oracle.priceRaw) - P) / 2));
        break;
      case 'k-up':
        rejected = this.updateK(Math.round(c.sqrtK * (1 + action.delta)));
        break;
      case 'k-down':
        rejected = this.updateK(Math.round(c.sqrtK * (1 - action.delta)));
        break;
      case 'formulaic': {
        const peg = budgetedPegRaw(m, oraclePegRaw(c, this.oracle.priceRaw));
        const repegRejected = peg === P ? 0 : this.repeg(peg);
        const s = formulaicSqrtK(m, cols.fundingSinceKRaw[i]!);
        if (s === c.sqrtK) {
          rejected = repegRejected;
          break;
        }
        const kRejected = this.updateK(s);
        if (kRejected === 0) cols.fundingSinceKRaw[i] = 0;
        rejected = repegRejected !== 0 ? repegRejected : kRejected;
        break;
      }
      case 'historical':
        throw new RangeError('drift-vamm-v0 vector env: the historical action exists only in replays');
    }
    storeAdmin(m, cols, i);
    return rejected;
  }

  /** Continuous action (a0, a1) on sub-env i (see `DriftVammEnv.applyContinuous`). */
  applyContinuous(cols: DriftVammColumns, i: number, a0: number, a1: number): number {
    this.begin(cols, i);
    const c = this.m.curve;
    const P = c.pegMultiplier;
    const peg = Math.round(P + ((a0 + 1) / 2) * (oraclePegRaw(c, this.oracle.priceRaw) - P));
    const repegRejected = peg === P ? 0 : this.repeg(peg);
    const s = Math.round(c.sqrtK * Math.exp(a1 * this.kDeltaMax));
    const kRejected = s === c.sqrtK ? 0 : this.updateK(s);
    storeAdmin(this.m, cols, i);
    return repegRejected !== 0 ? repegRejected : kRejected;
  }

  private begin(cols: DriftVammColumns, i: number): void {
    loadAdmin(this.m, cols, i);
    const o = this.oracle;
    o.priceRaw = cols.oraclePriceRaw[i]!;
    o.confidenceRaw = (o.priceRaw * this.oracleConfidenceBps) / 1e4;
    o.twapConfidenceRaw = o.confidenceRaw;
  }

  private repeg(pegRaw: number): number {
    let code: string | null;
    try {
      code = tryRepeg(this.m, pegRaw, this.oracle, this.fs, this.out);
    } catch (e) {
      // what the twin throws deeper down (reserve underflow) is a rejection, as FloatEngine treats it
      if (!(e instanceof DriftProtocolError)) throw e;
      this.out.check = e.check;
      code = e.code;
    }
    return code === null ? 0 : this.rejections.intern(code, this.out.check);
  }

  private updateK(sqrtK: number): number {
    const range = this.kRange;
    if (sqrtK > this.sqrtK0 * range || sqrtK * range < this.sqrtK0) return this.kOutOfRange;
    let code: string | null;
    try {
      code = tryUpdateK(this.m, sqrtK, this.fs, this.out);
    } catch (e) {
      if (!(e instanceof DriftProtocolError)) throw e;
      this.out.check = e.check;
      code = e.code;
    }
    return code === null ? 0 : this.rejections.intern(code, this.out.check);
  }
}
