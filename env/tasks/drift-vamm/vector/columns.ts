/**
 * The struct-of-arrays state of N drift-vamm-v0 sub-envs: one typed-array column per field of the
 * scalar env's market (the float twin's `FloatMarket`, raw protocol units), clock, oracle, trader
 * flow and RNG, indexed by sub-env. The trader book is one binary min-heap per sub-env (the
 * `PositionBook` algorithm), each in its own `bookCapacity`-node segment of `book`; a node is three
 * adjacent numbers (due step, base, entry notional), so a heap walk touches one cache line per
 * level instead of three. When one sub-env outgrows its segment every segment doubles (amortised,
 * so steady-state steps allocate nothing).
 *
 * With `numThreads` > 1 the columns live in one SharedArrayBuffer (`SharedColumns`) that every
 * thread views; each thread's book holds only the rows it steps (`bookRows`), and stays private.
 */
import { privateColumns, type ColumnAlloc } from '../../../core/vector/columnAlloc.js';

/** Rows [lo, hi) of the sub-envs. */
export interface RowRange {
  readonly lo: number;
  readonly hi: number;
}

export class DriftVammColumns {
  readonly numEnvs: number;

  // the market (FloatMarket fields that change during an episode)
  readonly baseReserve: Float64Array;
  readonly quoteReserve: Float64Array;
  readonly sqrtK: Float64Array;
  readonly peg: Float64Array;
  readonly baseAmount: Float64Array;
  readonly baseLong: Float64Array;
  readonly baseShort: Float64Array;
  readonly openInterest: Float64Array;
  readonly totalFee: Float64Array;
  readonly tfmd: Float64Array;
  readonly cumFundingLong: Float64Array;
  readonly cumFundingShort: Float64Array;
  readonly lastFundingRate: Float64Array;
  readonly lastFundingRateTs: Float64Array;
  readonly oracleTwap: Float64Array;
  readonly oracleTwapTs: Float64Array;
  readonly markTwap: Float64Array;
  readonly markTwapTs: Float64Array;
  readonly lastOraclePrice: Float64Array;

  // the env: clock, oracle, formulaic k rule's funding tally
  readonly stepCount: Float64Array;
  readonly nowTs: Float64Array;
  /** The GBM's current price, USD. */
  readonly oracleUsd: Float64Array;
  /** The env's oracle read (MARK_PRICE_PRECISION): the mark at reset, oracleUsd·1e10 after a step. */
  readonly oraclePriceRaw: Float64Array;
  readonly fundingSinceKRaw: Float64Array;
  /** floor(nowTs / funding period): funding runs when a step changes it. */
  readonly fundingEpoch: Float64Array;

  // caches keyed by sqrt_k (k only moves when the agent acts): arrival rate and e^{−λ}, ln(s/s0)
  readonly rateSqrtK: Float64Array;
  readonly arrivalRate: Float64Array;
  readonly expMinusRate: Float64Array;
  readonly logKSqrtK: Float64Array;
  readonly logK: Float64Array;

  // RNG: xoshiro128** words and the Box–Muller spare, as in `Rng`
  readonly rng0: Int32Array;
  readonly rng1: Int32Array;
  readonly rng2: Int32Array;
  readonly rng3: Int32Array;
  readonly spare: Float64Array;
  readonly hasSpare: Uint8Array;
  /** The seed of each sub-env's stream (−1 before the first reset). */
  readonly seeds: Float64Array;

  /** 1 once the sub-env ended its episode and waits for a reset (next-step and disabled modes). */
  readonly ended: Uint8Array;
  /** 1 once the sub-env has been reset. */
  readonly started: Uint8Array;

  // the trader book
  /** Nodes per sub-env segment. */
  bookCapacity: number;
  /** Sub-env i's node j at 3·((i − bookRows.lo)·bookCapacity + j): due step, base (AMM precision, signed), entry notional (QUOTE_PRECISION). */
  book: Float64Array;
  /** The rows this object's book holds (all of them on one thread). */
  readonly bookRows: RowRange;
  /** Positions in each sub-env's heap. */
  readonly bookSize: Int32Array;

  constructor(numEnvs: number, { bookCapacity = 64, alloc = privateColumns, bookRows = { lo: 0, hi: numEnvs } }: {
    bookCapacity?: number; alloc?: ColumnAlloc; bookRows?: RowRange;
  } = {}) {
    this.numEnvs = numEnvs;
    const f = () => alloc.f64(numEnvs);
    this.baseReserve = f();
    this.quoteReserve = f();
    this.sqrtK = f();
    this.peg = f();
    this.baseAmount = f();
    this.baseLong = f();
    this.baseShort = f();
    this.openInterest = f();
    this.totalFee = f();
    this.tfmd = f();
    this.cumFundingLong = f();
    this.cumFundingShort = f();
    this.lastFundingRate = f();
    this.lastFundingRateTs = f();
    this.oracleTwap = f();
    this.oracleTwapTs = f();
    this.markTwap = f();
    this.markTwapTs = f();
    this.lastOraclePrice = f();
    this.stepCount = f();
    this.nowTs = f();
    this.oracleUsd = f();
    this.oraclePriceRaw = f();
    this.fundingSinceKRaw = f();
    this.fundingEpoch = f();
    this.rateSqrtK = f();
    this.arrivalRate = f();
    this.expMinusRate = f();
    this.logKSqrtK = f();
    this.logK = f();
    this.rng0 = alloc.i32(numEnvs);
    this.rng1 = alloc.i32(numEnvs);
    this.rng2 = alloc.i32(numEnvs);
    this.rng3 = alloc.i32(numEnvs);
    this.spare = f();
    this.hasSpare = alloc.u8(numEnvs);
    this.seeds = f();
    if (alloc.fresh) this.seeds.fill(-1);
    this.ended = alloc.u8(numEnvs);
    this.started = alloc.u8(numEnvs);
    this.bookCapacity = bookCapacity;
    this.bookRows = bookRows;
    this.book = new Float64Array((bookRows.hi - bookRows.lo) * bookCapacity * 3);
    this.bookSize = alloc.i32(numEnvs);
  }

  /** Doubles every sub-env's book segment, keeping each heap in place at its new offset. */
  growBook(): void {
    const old = this.bookCapacity;
    const cap = old * 2;
    const { lo, hi } = this.bookRows;
    const dst = new Float64Array((hi - lo) * cap * 3);
    for (let r = 0; r < hi - lo; r++) {
      const size = this.bookSize[lo + r]!;
      if (size > 0) dst.set(this.book.subarray(r * old * 3, (r * old + size) * 3), r * cap * 3);
    }
    this.book = dst;
    this.bookCapacity = cap;
  }

  /** Bytes held per sub-env: the fixed columns plus the book segments at their current capacity. */
  bytesPerEnv(): number {
    let fixed = 0;
    for (const v of Object.values(this)) {
      if (ArrayBuffer.isView(v) && v !== this.book) fixed += (v as Float64Array).BYTES_PER_ELEMENT;
    }
    return fixed + 3 * this.bookCapacity * Float64Array.BYTES_PER_ELEMENT;
  }
}
