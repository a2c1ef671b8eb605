/**
 * env/market trader flow: informed sizing (never inside the no-arbitrage band, toward the oracle
 * without overshooting the fee-adjusted target), uninformed symmetry, holding times and the book,
 * volume models, rejected trades and determinism.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { TradeSizeTooSmall } from '../env/amm/drift-v1/errors.js';
import * as F from '../env/amm/drift-v1/float/index.js';
import { Rng } from '../env/core/rng.js';
import {
  DEFAULT_TRADER_FLOW_CONFIG,
  MarketConfigError,
  PositionBook,
  TraderFlow,
  informedQuoteRaw,
  newFlowStepStats,
  type FlowStepStats,
  type TraderFlowConfig,
} from '../env/market/index.js';

const FEE = 0.001;
const USD = 1e10;

/** A float market on a curve with x·y = s² (k0 from sqrtK), peg in USD; fresh counters. */
function market(baseReserve: number, quoteReserve: number, pegUsd: number, fields: Partial<F.FloatMarket> = {}): F.FloatMarket {
  const curve = { baseAssetReserve: baseReserve, quoteAssetReserve: quoteReserve, sqrtK: Math.sqrt(baseReserve * quoteReserve), pegMultiplier: Math.round(pegUsd * 1e3) };
  const mark = F.markPrice(curve);
  return {
    curve,
    baseAssetAmountLong: 0, baseAssetAmountShort: 0, baseAssetAmount: 0, openInterest: 0,
    totalFee: 0, totalFeeMinusDistributions: 0, totalFeeWithdrawn: 0,
    cumulativeFundingRateLong: 0, cumulativeFundingRateShort: 0, lastFundingRate: 0, lastFundingRateTs: 0, fundingPeriodSec: 3600,
    lastOraclePriceTwap: mark, lastOraclePriceTwapTs: 0, lastMarkPriceTwap: mark, lastMarkPriceTwapTs: 0, lastOraclePrice: mark,
    minimumQuoteAssetTradeSize: 10_000_000, minimumBaseAssetTradeSize: 10_000_000, baseSpread: 0,
    ...fields,
  };
}

/** SOL-PERP's first curve_history record (x ≠ y, peg 233.8). */
const solMarket = () => market(213654439470994844, 188737106528553534, 233.8);

describe('informed traders (informedQuoteRaw)', () => {
  const arbMarket = fc.record({
    x: fc.double({ min: 1e15, max: 1e20, noNaN: true }),
    ratio: fc.double({ min: 0.5, max: 2, noNaN: true }),
    pegUsd: fc.double({ min: 0.5, max: 60_000, noNaN: true }),
    gap: fc.double({ min: -0.08, max: 0.08, noNaN: true }),
    maxUsd: fc.oneof(fc.constant(1e12), fc.double({ min: 10, max: 1e6, noNaN: true })),
  });

  it('never trade inside the no-arbitrage band |mark/oracle − 1| ≤ fee (property)', () => {
    fc.assert(
      fc.property(arbMarket, fc.double({ min: -FEE, max: FEE, noNaN: true }), ({ x, ratio, pegUsd, maxUsd }, inside) => {
        const m = market(x, x * ratio, pegUsd);
        const oracle = F.markPrice(m.curve) / (1 + inside);
        fc.pre(Math.abs(F.markPrice(m.curve) / oracle - 1) <= FEE);
        assert.equal(informedQuoteRaw(m.curve, oracle, FEE, maxUsd * 1e6, 0), 0);
      }),
      { numRuns: 500 },
    );
  });

  it('trade toward the oracle and stop at, never past, the fee-adjusted oracle (property, through openPosition)', () => {
    fc.assert(
      fc.property(arbMarket, ({ x, ratio, pegUsd, gap, maxUsd }) => {
        const m = market(x, x * ratio, pegUsd);
        const before = F.markPrice(m.curve);
        const oracle = before * Math.exp(gap);
        const maxQuote = Math.floor(maxUsd * 1e6);
        const q = informedQuoteRaw(m.curve, oracle, FEE, maxQuote, 0);
        const lower = oracle * (1 - FEE);
        const upper = oracle / (1 - FEE);
        if (before >= lower && before <= upper) {
          assert.equal(q, 0);
          return;
        }
        if (q === 0) return; // nothing capturable above rounding (tiny markets); never a wrong-way trade
        assert.equal(q > 0, before < oracle, 'long iff mark < oracle');
        assert.ok(Math.abs(q) <= maxQuote);
        try {
          F.openPosition(m, F.emptyFloatPosition(), q > 0, Math.abs(q), 1, 'jan2022');
        } catch (e) {
          assert.ok(e instanceof TradeSizeTooSmall, String(e));
          return;
        }
        const after = F.markPrice(m.curve);
        const tol = 1e-9 * oracle + 2;
        if (q > 0) {
          assert.ok(after > before, 'a long raises the mark');
          assert.ok(after <= lower + tol, `long overshoots: ${after} > ${lower}`);
          if (Math.abs(q) < maxQuote) assert.ok(after >= lower * (1 - 1e-6), `long stops short: ${after} < ${lower}`);
        } else {
          assert.ok(after < before, 'a short lowers the mark');
          assert.ok(after >= upper - tol, `short overshoots: ${after} < ${upper}`);
          if (Math.abs(q) < maxQuote) assert.ok(after <= upper * (1 + 1e-6), `short stops short: ${after} > ${upper}`);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('abstain when the capturable profit is below the minimum, and capture about the triangle otherwise', () => {
    const m = solMarket();
    const mark = F.markPrice(m.curve);
    const oracle = mark * 1.01; // 1 % above: a long
    const q = informedQuoteRaw(m.curve, oracle, FEE, 1e15, 0);
    assert.ok(q > 0);
    // profit ≈ ½·notional·(gap − fee) for a small move on a constant-product curve
    const approxProfitRaw = 0.5 * q * (0.01 - FEE);
    assert.equal(informedQuoteRaw(m.curve, oracle, FEE, 1e15, approxProfitRaw * 1.2), 0);
    assert.equal(informedQuoteRaw(m.curve, oracle, FEE, 1e15, approxProfitRaw * 0.8), q);
  });
});

function flowRun(config: Partial<TraderFlowConfig>, seed: number, steps: number, m: F.FloatMarket, oracleOf: (m: F.FloatMarket, t: number) => number, each?: (s: FlowStepStats, t: number) => void, protocol: 'dec2021' | 'jan2022' | 'may2022' = 'jan2022') {
  const flow = new TraderFlow(config, protocol);
  flow.reset(m);
  const rng = new Rng(seed);
  const out = newFlowStepStats();
  for (let t = 0; t < steps; t++) {
    flow.step(rng, m, oracleOf(m, t), 1_000 + 60 * t, out);
    each?.(out, t);
  }
  return flow;
}

describe('TraderFlow', () => {
  it('informed arrivals abstain while the mark stays inside the band', () => {
    const m = solMarket();
    const oracle = F.markPrice(m.curve);
    let informed = 0;
    let abstained = 0;
    flowRun({ informedShare: 0.9, uninformedMedianUsd: 5, uninformedSigma: 0 }, 1, 500, m, () => oracle, (s) => {
      informed += s.informed;
      abstained += s.abstained;
    });
    assert.ok(Math.abs(F.markPrice(m.curve) / oracle - 1) < FEE, 'tiny uninformed trades keep the mark in the band');
    assert.equal(informed, 0);
    assert.ok(abstained > 300, `abstained ${abstained}`);
  });

  it('informed traders pull the mark into the band around a displaced oracle', () => {
    const m = solMarket();
    const oracle = F.markPrice(m.curve) * 1.03;
    let informed = 0;
    flowRun({ informedShare: 0.95, uninformedMedianUsd: 5, meanHoldingSteps: 1e9 }, 2, 300, m, () => oracle, (s) => (informed += s.informed));
    assert.ok(informed >= 1);
    const ratio = F.markPrice(m.curve) / oracle;
    assert.ok(ratio >= (1 - FEE) * (1 - 1e-6) && ratio <= 1 / (1 - FEE), `mark/oracle ${ratio}`);
  });

  it('uninformed flow is symmetric: long vs short notional within 4 standard errors', () => {
    const m = solMarket();
    const cfg = { informedShare: 0, uninformedMedianUsd: 1000, uninformedSigma: 1, volumeModel: { kind: 'elastic', baseArrivalsPerStep: 5, elasticity: 0 }, oracleGuards: false } as const;
    let long = 0;
    let short = 0;
    let n = 0;
    const steps = 20_000;
    flowRun(cfg, 3, steps, m, (mm) => F.markPrice(mm.curve), (s) => {
      long += s.uninformedLongUsd;
      short += s.uninformedShortUsd;
      n += s.uninformed;
    });
    // each trade adds ±X to long − short; Var = N·E[X²], E[X²] = median²·e^{2σ²}
    const se = Math.sqrt(n * 1000 * 1000 * Math.exp(2));
    assert.ok(Math.abs(n - 5 * steps) < 4 * Math.sqrt(5 * steps), `arrivals ${n}`);
    assert.ok(Math.abs(long - short) < 4 * se, `long ${long} short ${short} se ${se}`);
    const meanNotional = (long + short) / n;
    assert.ok(Math.abs(meanNotional / (1000 * Math.exp(0.5)) - 1) < 0.05, `mean notional ${meanNotional}`);
  });

  it("the book's OI tracks the market's long/short buckets, and holding times close every position", () => {
    const m = solMarket();
    const L0 = m.baseAssetAmountLong;
    let stopped = false;
    class Stoppable extends TraderFlow {
      override arrivalRate(mm: F.FloatMarket): number {
        return stopped ? 0 : super.arrivalRate(mm);
      }
    }
    const flow = new Stoppable({ meanHoldingSteps: 4, volumeModel: { kind: 'elastic', baseArrivalsPerStep: 3, elasticity: 0.5 } });
    flow.reset(m);
    const rng = new Rng(4);
    const out = newFlowStepStats();
    let opens = 0;
    let closes = 0;
    let oracle = F.markPrice(m.curve);
    let t = 0;
    for (; t < 3000; t++) {
      if (t === 400) stopped = true;
      oracle *= Math.exp(0.002 * rng.standardNormal());
      flow.step(rng, m, oracle, 60 * t, out);
      opens += out.informed + out.uninformed;
      closes += out.closes;
      assert.equal(flow.openPositions, opens - closes);
      assert.equal(m.openInterest, flow.openPositions, 'one user account per open position');
      const scale = 1e-9 * (Math.abs(m.baseAssetAmountLong) + Math.abs(m.baseAssetAmountShort)) + 1e4;
      assert.ok(Math.abs(flow.longOpenInterest - (m.baseAssetAmountLong - L0)) <= scale, `long OI at ${t}`);
      assert.ok(Math.abs(flow.shortOpenInterest - m.baseAssetAmountShort) <= scale, `short OI at ${t}`);
      assert.ok(flow.longOpenInterest >= 0 && flow.shortOpenInterest <= 0);
      if (stopped && flow.openPositions === 0) break;
    }
    assert.ok(opens > 800, `opens ${opens}`);
    assert.equal(flow.openPositions, 0, `every position closed by step ${t}`);
    assert.ok(Math.abs(m.baseAssetAmount) < 1e4, `net base back to ~0: ${m.baseAssetAmount}`);
  });

  it('holding times are geometric with the configured mean', () => {
    // the book pops in due order; with one open per step, the mean holding time is the mean (due − open) gap
    const rng = new Rng(8);
    const mean = 25;
    const invLog = 1 / Math.log1p(-1 / mean);
    let sum = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) sum += 1 + Math.floor(Math.log(1 - rng.random()) * invLog);
    // (this mirrors TraderFlow's sampler; the flow test above checks the book against the market)
    assert.ok(Math.abs(sum / n - mean) < 4 * Math.sqrt((mean * (mean - 1)) / n), `mean ${sum / n}`);
  });

  it('the position book is a min-heap on due step that grows by doubling', () => {
    const book = new PositionBook(2);
    const rng = new Rng(12);
    const dues: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const d = rng.integers(0, 500);
      dues.push(d);
      book.push(d, i % 2 === 0 ? d + 0.5 : -d - 0.5, d * 2);
    }
    assert.ok(book.capacity >= 1000 && book.capacity <= 2048);
    dues.sort((a, b) => a - b);
    for (const d of dues) {
      assert.equal(book.peekDue(), d);
      assert.equal(Math.abs(book.peekBase()), d + 0.5);
      assert.equal(book.peekQuote(), 2 * d);
      book.pop();
    }
    assert.equal(book.size, 0);
    assert.equal(book.peekDue(), Infinity);
  });

  it('elastic volume: doubling k multiplies the arrival rate by 2^ε', () => {
    for (const eps of [0, 0.5, 1.3, -0.4]) {
      const m = solMarket();
      const flow = new TraderFlow({ volumeModel: { kind: 'elastic', baseArrivalsPerStep: 0.8, elasticity: eps } });
      flow.reset(m);
      const r0 = flow.uninformedArrivalRate(m);
      assert.equal(r0, 0.8);
      assert.ok(Math.abs(flow.arrivalRate(m) - 1) < 1e-12, 'λu/(1 − λi) with λi = 0.2');
      const m2 = solMarket();
      m2.curve.sqrtK *= Math.SQRT2;
      assert.ok(Math.abs(flow.uninformedArrivalRate(m2) / r0 - 2 ** eps) < 1e-12, `ε = ${eps}`);
    }
  });

  it('elastic volume saturates at maxMultiple times the base rate', () => {
    const m = solMarket();
    const flow = new TraderFlow({ informedShare: 0, volumeModel: { kind: 'elastic', baseArrivalsPerStep: 0.8, elasticity: 0.5, maxMultiple: 4 } });
    flow.reset(m);
    const at = (scale: number) => {
      const mm = solMarket();
      mm.curve.sqrtK *= scale;
      return flow.uninformedArrivalRate(mm);
    };
    assert.ok(Math.abs(at(3) - 2.4) < 1e-12, 'below the ceiling: 0.8·3');
    assert.equal(at(4), 3.2);
    assert.equal(at(100), 3.2, 'above the ceiling: 0.8·4');
    assert.throws(() => new TraderFlow({ volumeModel: { kind: 'elastic', baseArrivalsPerStep: 1, elasticity: 0.5, maxMultiple: 0 } }), /maxMultiple/);
  });

  it('caps the expected arrivals per step at maxArrivalsPerStep, so a runaway k cannot stall a rollout', () => {
    const m = solMarket();
    const flow = new TraderFlow({ maxArrivalsPerStep: 50, volumeModel: { kind: 'elastic', baseArrivalsPerStep: 0.8, elasticity: 1, maxMultiple: 1e9 } });
    flow.reset(m);
    const big = solMarket();
    big.curve.sqrtK *= 1e4;
    assert.equal(flow.arrivalRate(big), 50);
    assert.throws(() => new TraderFlow({ maxArrivalsPerStep: 0 }), MarketConfigError);
  });

  it('elastic volume: realised arrivals follow the rate', () => {
    const m = solMarket();
    m.curve.sqrtK *= 2; // k·4 relative to k0 below
    const flow = new TraderFlow({ informedShare: 0, volumeModel: { kind: 'elastic', baseArrivalsPerStep: 1, elasticity: 0.5 }, oracleGuards: false });
    flow.reset(solMarket());
    const rng = new Rng(6);
    const out = newFlowStepStats();
    let arrivals = 0;
    const steps = 5000;
    for (let t = 0; t < steps; t++) {
      flow.step(rng, m, F.markPrice(m.curve), t, out);
      arrivals += out.uninformed + out.rejected;
      assert.equal(out.arrivalRate, 2);
    }
    assert.ok(Math.abs(arrivals - 2 * steps) < 4 * Math.sqrt(2 * steps), `arrivals ${arrivals}`);
  });

  it('linear volume: λu = max(0, β0 + β1·price + β2·K)/E[notional], K = √k or k in base units', () => {
    const m = solMarket();
    const priceUsd = F.markPrice(m.curve) / USD;
    const sqrtKBase = m.curve.sqrtK / 1e13;
    const meanNotional = 1000 * Math.exp(0.5 * 1.5 * 1.5);
    const lin = new TraderFlow({ volumeModel: { kind: 'linear', beta0: 100, beta1: 2, beta2: 0.01 } });
    lin.reset(m);
    assert.ok(Math.abs(lin.uninformedArrivalRate(m) - (100 + 2 * priceUsd + 0.01 * sqrtKBase) / meanNotional) < 1e-12);
    const k = new TraderFlow({ volumeModel: { kind: 'linear', beta2: 1e-5, kUnits: 'k' } });
    k.reset(m);
    assert.ok(Math.abs(k.uninformedArrivalRate(m) / ((1e-5 * sqrtKBase * sqrtKBase) / meanNotional) - 1) < 1e-12);
    const neg = new TraderFlow({ volumeModel: { kind: 'linear', beta0: -1e9 } });
    neg.reset(m);
    assert.equal(neg.arrivalRate(m), 0);
    const dflt = new TraderFlow({ volumeModel: { kind: 'linear' } });
    dflt.reset(m);
    assert.ok(dflt.arrivalRate(m) > 0.3 && dflt.arrivalRate(m) < 3, `default linear rate ${dflt.arrivalRate(m)}`);
  });

  it('rejected trades are counted, not thrown, and leave the market unchanged', () => {
    const m = solMarket();
    m.minimumQuoteAssetTradeSize = 1e30;
    const before = F.cloneFloatMarket(m);
    let rejected = 0;
    const flow = flowRun({ informedShare: 0 }, 9, 200, m, (mm) => F.markPrice(mm.curve), (s) => {
      rejected += s.rejected;
      assert.equal(s.trades, 0);
      assert.equal(s.volumeUsd, 0);
    });
    assert.ok(rejected > 100);
    assert.equal(flow.openPositions, 0);
    assert.deepEqual(m, before);
  });

  it('fees are 10 bp of volume and reach the fee pool', () => {
    for (const protocol of ['dec2021', 'jan2022', 'may2022'] as const) {
      const m = solMarket();
      let fees = 0;
      let volume = 0;
      flowRun({}, 10, 2000, m, (mm, t) => F.markPrice(mm.curve) * (1 + 0.01 * Math.sin(t / 50)), (s) => {
        fees += s.feesUsd;
        volume += s.volumeUsd;
      }, protocol);
      assert.ok(volume > 1e6, protocol);
      assert.ok(Math.abs(fees / volume - FEE) < 1e-5, `${protocol}: fees/volume ${fees / volume}`);
      assert.ok(Math.abs(m.totalFeeMinusDistributions / 1e6 - fees) < 1e-6 * fees, protocol);
    }
  });

  it('is deterministic: same seed → bit-identical stats and market; another seed differs', () => {
    const trace = (seed: number) => {
      const m = solMarket();
      const rows: number[][] = [];
      flowRun({}, seed, 1000, m, (mm, t) => F.markPrice(mm.curve) * Math.exp(0.01 * Math.sin(t)), (s) => rows.push(Object.values(s)));
      return { rows, m };
    };
    const a = trace(42);
    const b = trace(42);
    assert.deepEqual(a.rows, b.rows);
    assert.deepEqual(a.m, b.m);
    assert.notDeepEqual(trace(43).rows, a.rows);
  });

  it('validates its config, naming the field, the value and what is allowed', () => {
    assert.throws(() => new TraderFlow({ informedShare: 1 }), /traderFlow\.informedShare = 1 is not allowed: expected a finite number >= 0 < 1/);
    assert.throws(() => new TraderFlow({ meanHoldingSteps: 0.5 }), (e: unknown) => e instanceof MarketConfigError && e.field === 'traderFlow.meanHoldingSteps');
    assert.throws(() => new TraderFlow({ arrivals: 3 } as Partial<TraderFlowConfig>), /traderFlow\.arrivals = 3 is not allowed: expected no such field/);
    assert.throws(() => new TraderFlow({ volumeModel: { kind: 'hawkes' } as never }), /traderFlow\.volumeModel\.kind = "hawkes" is not allowed: expected one of 'elastic', 'linear'/);
    assert.throws(() => new TraderFlow({ volumeModel: { kind: 'linear', kUnits: 'log' } as never }), /kUnits = "log"/);
    assert.throws(() => new TraderFlow({}, 'jun2022' as never), /traderFlow protocol = "jun2022" is not allowed: expected 'dec2021', 'jan2022', 'may2022'/);
    const flow = new TraderFlow();
    assert.deepEqual(flow.config, DEFAULT_TRADER_FLOW_CONFIG);
    assert.equal(flow.protocol, 'jan2022');
    assert.throws(() => flow.step(new Rng(0), solMarket(), USD, 0, newFlowStepStats()), /before reset/);
    flow.reset(solMarket());
    assert.throws(() => flow.step(new Rng(0), solMarket(), NaN, 0, newFlowStepStats()), /oraclePriceRaw must be finite and > 0/);
  });
});
