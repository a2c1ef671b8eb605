/**
 * The struct-of-arrays drift-vamm-v0 (DriftVammVectorEnv) against the scalar env: sub-env i with
 * seed s and actions a_t reproduces `make('drift-vamm-v0', { implementation: 'reference' })` (the
 * scalar env on its engine and trader-flow objects) with the same seed and actions, bit for
 * bit (observations, rewards, terminated/truncated, info numbers, rejection and termination names),
 * in every autoreset mode, with per-env seeds, and on the paths that are rare under default play
 * (terminations of each kind, λ ≥ 10 Poisson, guards off, continuous actions, book growth).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  InvalidActionError, InvalidArgumentError, make, makeVec, ResetNeeded, Rng, SyncVectorEnv, type Env,
} from '../env/core/index.js';
import '../env/tasks/builtin.js';
import { DriftProtocolError } from '../env/amm/drift-v1/errors.js';
import { markPrice, newAdjustOut, tryRepeg, tryUpdateK, type FloatMarket } from '../env/amm/drift-v1/float/index.js';
import { MarketConfigError } from '../env/market/index.js';
import { discreteActions } from '../env/tasks/drift-vamm/actions.js';
import {
  DriftVammVectorEnv, INFO_NUMBER_KEYS, UnsupportedVectorOptionError,
} from '../env/tasks/drift-vamm/vector/index.js';
import { AdminActions } from '../env/tasks/drift-vamm/vector/admin.js';
import { DriftVammColumns } from '../env/tasks/drift-vamm/vector/columns.js';

const ID = 'drift-vamm-v0';
type Kwargs = Record<string, unknown>;
type Infos = Record<string, unknown>;

/** The scalar env on its object path (the kernel's reference), through make() and its wrappers. */
function reference<A>(kwargs: Kwargs): Env<Float32Array, A> {
  return make(ID, { ...kwargs, implementation: 'reference' }) as unknown as Env<Float32Array, A>;
}

/** Everything the scalar step reports, in a form `deepEqual` compares bit for bit (Object.is). */
interface Record_ {
  obs: number[];
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Record<string, unknown>;
}

function scalarRecord(obs: Float32Array, reward: number, terminated: boolean, truncated: boolean, info: Infos): Record_ {
  const out: Record<string, unknown> = { rejected: info['rejected'] ?? null, termination: info['termination'] ?? null };
  for (const key of INFO_NUMBER_KEYS) out[key] = info[key];
  out['fundingBlocked'] = typeof info['fundingBlocked'] === 'string';
  return { obs: Array.from(obs), reward, terminated, truncated, info: out };
}

function vectorRecord(venv: DriftVammVectorEnv, i: number, obs: Float32Array, rewards: Float64Array, terms: Uint8Array, truncs: Uint8Array, infos: Infos): Record_ {
  const k = obs.length / venv.numEnvs;
  const out: Record<string, unknown> = {
    rejected: venv.rejectionName((infos['rejectedCode'] as Int32Array)[i]!),
    termination: venv.terminationName((infos['terminationCode'] as Int32Array)[i]!),
  };
  for (const key of INFO_NUMBER_KEYS) out[key] = (infos[key] as Float64Array)[i];
  out['fundingBlocked'] = (infos['fundingBlocked'] as Uint8Array)[i] === 1;
  return { obs: Array.from(obs.subarray(i * k, (i + 1) * k)), reward: rewards[i]!, terminated: terms[i] === 1, truncated: truncs[i] === 1, info: out };
}

/** Reset info numbers of the scalar env, as the vector env reports them for a sub-env it just reset. */
function resetRecord(obs: Float32Array, info: Infos): Record_ {
  return scalarRecord(obs, 0, false, false, info);
}

/** Per-env action streams: a_i(t) for t < steps. */
function actionTable(n: number, steps: number, seed: number, nActions: number, bias?: (rng: Rng) => number | null): Int32Array[] {
  return Array.from({ length: n }, (_, i) => {
    const rng = new Rng(seed + i);
    return Int32Array.from({ length: steps }, () => bias?.(rng) ?? rng.integers(0, nActions));
  });
}

interface RunSummary {
  steps: number;
  episodes: number;
  terminations: Set<string>;
  rejections: Set<string>;
}

/**
 * Steps a vector env of `seeds.length` sub-envs in next-step mode for `steps` steps with actions
 * from `table`, and for each sub-env replays a scalar env: reset(seed), then step a_i(t), or
 * reset() where the vector env autoresets. Compares every record.
 */
function compareNextStep(kwargs: Kwargs, seeds: readonly number[], table: readonly Int32Array[], steps: number): RunSummary {
  const n = seeds.length;
  const venv = make(ID, { ...kwargs, numEnvs: n }) as unknown as DriftVammVectorEnv;
  assert.ok(venv instanceof DriftVammVectorEnv);
  const envs = seeds.map(() => reference<number>(kwargs));
  const [obs0, infos0] = venv.reset({ seed: [...seeds] });
  const ended = new Uint8Array(n);
  const summary: RunSummary = { steps: 0, episodes: 0, terminations: new Set(), rejections: new Set() };
  envs.forEach((env, i) => {
    const [o, info] = env.reset({ seed: seeds[i]! });
    assert.deepEqual(vectorRecord(venv, i, obs0, new Float64Array(n), new Uint8Array(n), new Uint8Array(n), infos0), resetRecord(o, info), `sub-env ${i} reset`);
  });
  const actions = new Int32Array(n);
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < n; i++) actions[i] = table[i]![t]!;
    const [obs, rewards, terms, truncs, infos] = venv.step(actions);
    for (let i = 0; i < n; i++) {
      let expected: Record_;
      if (ended[i]) {
        const [o, info] = envs[i]!.reset();
        expected = resetRecord(o, info);
        ended[i] = 0;
      } else {
        const [o, r, te, tr, info] = envs[i]!.step(actions[i]!);
        expected = scalarRecord(o, r, te, tr, info);
        summary.steps++;
        if (expected.info['termination'] !== null) summary.terminations.add(expected.info['termination'] as string);
        if (expected.info['rejected'] !== null) summary.rejections.add(expected.info['rejected'] as string);
        if (te || tr) {
          ended[i] = 1;
          summary.episodes++;
        }
      }
      const got = vectorRecord(venv, i, obs, rewards, terms, truncs, infos);
      if (!isDeepEqual(got, expected)) assert.deepEqual(got, expected, `sub-env ${i} (seed ${seeds[i]}) at vector step ${t}`);
    }
  }
  return summary;
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

describe('drift-vamm-v0 vector env: registration', () => {
  it('make(id, { numEnvs }) and makeVec return the struct-of-arrays env; sync mode still gives SyncVectorEnv', () => {
    const v = make(ID, { numEnvs: 3 });
    assert.ok(v instanceof DriftVammVectorEnv);
    assert.equal(v.numEnvs, 3);
    assert.equal(v.metadata.autoresetMode, 'next-step');
    assert.equal(v.spec?.id, ID);
    assert.equal(String(v.singleObservationSpace), String(make(ID).observationSpace));
    assert.equal(String(v.singleActionSpace), 'Discrete(6)');
    assert.equal((v as DriftVammVectorEnv).options.maxEpisodeSteps, 1440);
    const w = makeVec(ID, 2, { autoresetMode: 'same-step', maxEpisodeSteps: 10 });
    assert.ok(w instanceof DriftVammVectorEnv);
    assert.equal(w.metadata.autoresetMode, 'same-step');
    assert.equal((w as DriftVammVectorEnv).options.maxEpisodeSteps, 10);
    assert.equal((make(ID, { numEnvs: 1, maxEpisodeSteps: -1 }) as DriftVammVectorEnv).options.maxEpisodeSteps, Infinity);
    assert.ok(makeVec(ID, 2, { vectorizationMode: 'sync' }) instanceof SyncVectorEnv);
    assert.ok(make('CartPole-v1', { numEnvs: 2 }) instanceof SyncVectorEnv);
    assert.throws(() => make(ID, { numEnvs: 0 }), (e: unknown) => e instanceof InvalidArgumentError && /numEnvs must be a positive integer.*got 0/.test(e.message));
    assert.throws(() => make(ID, { numEnvs: 2.5 }), InvalidArgumentError);
  });

  it('refuses the options the kernel does not implement, naming them; scalar option errors are the scalar env\'s', () => {
    const refused: [Kwargs, string][] = [
      [{ protocol: 'may2022' }, 'protocol'],
      [{ protocol: 'dec2021' }, 'protocol'],
      [{ engine: 'exact' }, 'engine'],
      [{ oracle: { kind: 'merton', volatility: 0.8, jumpIntensity: 10, jumpStd: 0.05 } }, 'oracle.kind'],
    ];
    for (const [kwargs, option] of refused) {
      assert.throws(() => make(ID, { ...kwargs, numEnvs: 2 }), (e: unknown) => {
        assert.ok(e instanceof UnsupportedVectorOptionError, String(e));
        assert.equal(e.option, option);
        assert.match(e.message, new RegExp(`option ${option.replace('.', '\\.')} = .* is not supported.*supported: .*vectorizationMode: 'sync'`));
        return true;
      });
    }
    // the sync fallback runs them
    assert.ok(makeVec(ID, 2, { engine: 'exact', vectorizationMode: 'sync' }) instanceof SyncVectorEnv);
    assert.throws(() => make(ID, { numEnvs: 2, kRange: 0 }), /option kRange: got 0/);
    assert.throws(() => make(ID, { numEnvs: 2, oracle: { kind: 'gbm', volatility: -1 } }), MarketConfigError);
    assert.throws(() => make(ID, { numEnvs: 2, traders: { informedShare: 2 } }), MarketConfigError);
    assert.throws(() => make(ID, { numEnvs: 2, nonsense: 1 }), /option nonsense/);
    assert.throws(() => new DriftVammVectorEnv({ numEnvs: 2, autoresetMode: 'sometimes' as 'next-step' }), /autoresetMode must be one of/);
  });

  it('checks actions, seeds and the reset order with typed errors', () => {
    const v = make(ID, { numEnvs: 2 }) as DriftVammVectorEnv;
    assert.throws(() => v.step(Int32Array.of(0, 0)), ResetNeeded);
    v.reset({ seed: 1 });
    assert.throws(() => v.step(Int32Array.of(0, 6)), (e: unknown) => e instanceof InvalidActionError && /Invalid action 6 .*Discrete\(6\).*sub-env 1/.test(e.message));
    assert.throws(() => v.step([0, 1.5]), InvalidActionError);
    assert.throws(() => v.step(Int32Array.of(0)), /expected 2 numbers/);
    assert.throws(() => v.reset({ seed: -1 }), InvalidArgumentError);
    assert.throws(() => v.reset({ seed: [1] }), /length numEnvs=2/);
    assert.throws(() => v.reset({ options: { resetMask: [false, false] } }), /at least one true/);
    const c = make(ID, { numEnvs: 2, actionSpace: 'continuous' }) as DriftVammVectorEnv;
    c.reset({ seed: 1 });
    assert.throws(() => c.step([0, 0, 1.5, 0]), (e: unknown) => e instanceof InvalidActionError && /sub-env 1/.test(e.message));
  });
});

describe('drift-vamm-v0 vector env: reproduces the scalar env', () => {
  it('N = 1: full episodes with a fixed and a random action sequence', () => {
    const steps = 2 * 1440 + 5;
    const fixed = [Int32Array.from({ length: steps }, (_, t) => [0, 1, 3, 4, 5, 2][t % 6]!)];
    const a = compareNextStep({}, [7], fixed, steps);
    assert.equal(a.episodes, 2);
    const random = actionTable(1, steps, 100, 6);
    const b = compareNextStep({}, [8], random, steps);
    assert.equal(b.episodes, 2);
    assert.ok(b.rejections.size >= 2, `rejections seen: ${[...b.rejections].join(', ')}`);
  });

  it('N = 64 with per-env seeds reproduces 64 scalar runs, across the time limit and the autoreset', () => {
    const seeds = Array.from({ length: 64 }, (_, i) => 1000 + 3 * i);
    const s = compareNextStep({}, seeds, actionTable(64, 1500, 7, 6), 1500);
    assert.equal(s.episodes, 64);
    assert.ok(s.rejections.has('InvalidRepegDirection [direction]'));
  });

  it('terminations of both kinds at different times in different sub-envs', () => {
    const seeds = Array.from({ length: 16 }, (_, i) => 50 + i);
    const divergence = compareNextStep({ oracle: { kind: 'gbm', volatility: 6 }, maxDivergence: 0.03 }, seeds, actionTable(16, 400, 3, 6), 400);
    assert.deepEqual([...divergence.terminations], ['divergence']);
    assert.ok(divergence.episodes > 16, `${divergence.episodes} episodes`);
    // k up by 30 % most of the time drains the fee pool below its floor (update_k's budget is not the floor)
    const floor = compareNextStep(
      { market: 'LUNA', kDeltas: [0.3], kRange: 1000 }, seeds,
      actionTable(16, 600, 11, 6, (rng) => (rng.random() < 0.7 ? 3 : null)), 600,
    );
    assert.ok(floor.terminations.has('fee-pool-floor'), [...floor.terminations].join(', '));
    assert.ok(floor.rejections.has('InvalidUpdateK [budget]'));
    assert.ok(floor.rejections.has('KOutOfRange [kRange]'));
  });

  it('rare flow paths: λ ≥ 10 arrivals (PTRS Poisson), oracle guards off, linear volume, calibrated markets, book growth', () => {
    const seeds = [1, 2, 3, 4];
    const table = actionTable(4, 700, 21, 6);
    compareNextStep({ traders: { volumeModel: { kind: 'elastic', baseArrivalsPerStep: 14, elasticity: 0.5 }, informedShare: 0.6 } }, seeds, table, 700);
    compareNextStep({ traders: { oracleGuards: false, informedShare: 0.5 }, oracle: { kind: 'gbm', volatility: 3 } }, seeds, table, 700);
    compareNextStep({ traders: { volumeModel: { kind: 'linear', beta2: 0.3, kUnits: 'sqrtK' } } }, seeds, table, 700);
    compareNextStep({ market: 'BTC', calibrated: true }, seeds, table, 700);
    const grown = make(ID, { numEnvs: 2, kDeltas: [0.3], kRange: 1000 }) as DriftVammVectorEnv;
    grown.reset({ seed: 0 });
    for (let t = 0; t < 200; t++) grown.step(Int32Array.of(3, t % 6));
    assert.ok(grown.columns.bookCapacity > 64, `book capacity ${grown.columns.bookCapacity}`);
  });

  it('other observation, reward, step and action options', () => {
    const seeds = [5, 6];
    compareNextStep({ reward: 'seed', observation: 'imbalance', stepSec: 7.3, horizon: 500, rejectionPenaltyUsd: 2 }, seeds, actionTable(2, 600, 1, 6), 600);
    compareNextStep({ kDeltas: [0.005, 0.02], oracleConfidenceBps: 30, market: 'ETH' }, seeds, actionTable(2, 600, 2, 8), 600);
    // continuous actions: flat [a0, a1] per sub-env
    const n = 3;
    const kwargs = { actionSpace: 'continuous' };
    const venv = make(ID, { ...kwargs, numEnvs: n }) as DriftVammVectorEnv;
    const envs = Array.from({ length: n }, () => reference<Float32Array>(kwargs));
    venv.reset({ seed: 40 });
    envs.forEach((e, i) => e.reset({ seed: 40 + i }));
    const rng = new Rng(9);
    const flat = new Float32Array(2 * n);
    for (let t = 0; t < 500; t++) {
      for (let j = 0; j < 2 * n; j++) flat[j] = rng.random() < 0.5 ? 0 : rng.uniform(-1, 1);
      const [obs, rewards, terms, truncs, infos] = venv.step(flat);
      for (let i = 0; i < n; i++) {
        const [o, r, te, tr, info] = envs[i]!.step(flat.slice(2 * i, 2 * i + 2));
        assert.deepEqual(vectorRecord(venv, i, obs, rewards, terms, truncs, infos), scalarRecord(o, r, te, tr, info), `continuous sub-env ${i} step ${t}`);
      }
    }
  });
});

describe('drift-vamm-v0 vector env: the inlined admin guards', () => {
  function blankMarket(): FloatMarket {
    return {
      curve: { baseAssetReserve: 0, quoteAssetReserve: 0, sqrtK: 0, pegMultiplier: 0 }, baseAssetAmountLong: 0, baseAssetAmountShort: 0,
      baseAssetAmount: 0, openInterest: 0, totalFee: 0, totalFeeMinusDistributions: 0, totalFeeWithdrawn: 0, cumulativeFundingRateLong: 0,
      cumulativeFundingRateShort: 0, lastFundingRate: 0, lastFundingRateTs: 0, fundingPeriodSec: 3600, lastOraclePriceTwap: 0,
      lastOraclePriceTwapTs: 0, lastMarkPriceTwap: 0, lastMarkPriceTwapTs: 0, lastOraclePrice: 0, minimumQuoteAssetTradeSize: 1e7,
      minimumBaseAssetTradeSize: 1e7, baseSpread: 0,
    };
  }

  it('repeg and update_k agree with the float twin on random markets, every rejection included', () => {
    const rng = new Rng(3);
    const bps = 5;
    const cols = new DriftVammColumns(1);
    const seen = new Set<string>();
    for (const withdrawn of [0, 5e8]) {
      const admin = new AdminActions(cols, blankMarket(), {
        actions: discreteActions([0.01]), sqrtK0: 1, kRange: Infinity, kDeltaMax: 0.02, oracleConfidenceBps: bps, totalFeeWithdrawn: withdrawn,
      });
      for (let n = 0; n < 15_000; n++) {
        const x = Math.floor(10 ** rng.uniform(rng.random() < 0.1 ? 4 : 15, 20));
        const y = Math.floor(x * rng.uniform(0.7, 1.4));
        const s = Math.round(Math.sqrt(x * y) * (rng.random() < 0.2 ? rng.uniform(0.999, 1.001) : 1));
        const P = Math.floor(10 ** rng.uniform(2, 7));
        const u = rng.random();
        const d = u < 0.1 ? 0 : u < 0.15 ? -Math.floor(x * rng.uniform(0.99, 1.2)) : Math.round(x * rng.uniform(-0.2, 0.2));
        const tf = Math.floor(10 ** rng.uniform(6, 12));
        const tfmd = Math.floor(tf * rng.uniform(0.3, 1.2));
        const curve = { baseAssetReserve: x, quoteAssetReserve: y, sqrtK: s, pegMultiplier: P };
        const mark = markPrice(curve);
        const o = rng.random() < 0.02 ? -mark / 2 : mark * Math.exp(rng.normal(0, 0.03));
        const w = rng.random();
        const twap = w < 0.02 ? -mark : w < 0.04 ? 0 : w < 0.06 ? mark * 10 : mark * Math.exp(rng.normal(0, 0.02));
        const load = (): FloatMarket => {
          cols.baseReserve[0] = x;
          cols.quoteReserve[0] = y;
          cols.sqrtK[0] = s;
          cols.peg[0] = P;
          cols.baseAmount[0] = d;
          cols.totalFee[0] = tf;
          cols.tfmd[0] = tfmd;
          cols.oracleTwap[0] = twap;
          cols.oraclePriceRaw[0] = o;
          return { ...blankMarket(), curve: { ...curve }, baseAssetAmount: d, totalFee: tf, totalFeeMinusDistributions: tfmd, totalFeeWithdrawn: withdrawn, lastOraclePriceTwap: twap };
        };
        const conf = (o * bps) / 1e4;
        const oracle = { priceRaw: o, confidenceRaw: conf, delaySlots: 0, twapRaw: NaN, twapConfidenceRaw: conf, hasSufficientDataPoints: true };
        const out = newAdjustOut();
        // the twin's outcome as the scalar env reports it (FloatEngine: thrown protocol errors are rejections)
        const twin = (run: () => string | null): string | null => {
          try {
            const code = run();
            return code === null ? null : `${code} [${out.check}]`;
          } catch (e) {
            if (!(e instanceof DriftProtocolError)) throw e;
            return `${e.code} [${e.check}]`;
          }
        };
        const oraclePeg = Math.max(1, Math.round((o * x) / (y * 1e7)));
        const r = rng.random();
        const newPeg = r < 0.1 ? P : r < 0.6 ? Math.round(P + (oraclePeg - P) * rng.uniform(0, 1.2)) : Math.max(1, Math.round(P * rng.uniform(0.5, 1.5)));
        let m = load();
        const got = admin.rejections.name(admin.repeg(0, newPeg));
        assert.equal(got, twin(() => tryRepeg(m, newPeg, oracle, 'jan2022', out)), `repeg ${n}`);
        assert.ok(Object.is(cols.peg[0], m.curve.pegMultiplier) && Object.is(cols.tfmd[0], m.totalFeeMinusDistributions), `repeg ${n} state`);
        seen.add(`repeg ${got}`);
        const newS = Math.round(s * (rng.random() < 0.5 ? rng.uniform(0.99, 1.01) : rng.uniform(0.5, 1.5)));
        m = load();
        const gotK = admin.rejections.name(admin.updateK(0, newS));
        assert.equal(gotK, twin(() => tryUpdateK(m, newS, 'jan2022', out)), `update_k ${n}`);
        const c = m.curve;
        assert.ok(
          Object.is(cols.sqrtK[0], c.sqrtK) && Object.is(cols.baseReserve[0], c.baseAssetReserve)
            && Object.is(cols.quoteReserve[0], c.quoteAssetReserve) && Object.is(cols.tfmd[0], m.totalFeeMinusDistributions),
          `update_k ${n} state`,
        );
        seen.add(`k ${gotK}`);
      }
    }
    for (const outcome of [
      'repeg null', 'repeg InvalidRepegRedundant [redundant]', 'repeg InvalidRepegDirection [direction]',
      'repeg InvalidRepegProfitability [terminalBand]', 'repeg InvalidRepegProfitability [markBand]',
      'repeg InvalidRepegProfitability [feePoolTranche]', 'repeg MathError [calculateSwapOutput]',
      'repeg MathError [calculateQuoteAssetAmountSwapped]', 'repeg CastingFailure [isOracleValid.price]',
      'repeg CastingFailure [isOracleValid.twap]', 'k null', 'k InvalidUpdateK [budget]', 'k InvalidUpdateK [priceChange]',
      'k MathError [updateK.budget]', 'k MathError [calculateSwapOutput]',
    ]) assert.ok(seen.has(outcome), `never saw ${outcome}; saw ${[...seen].join(', ')}`);
  });
});

describe('drift-vamm-v0 vector env: autoreset modes', () => {
  it('same-step: the ending step returns the reset observation, the terminal one in final_obs / final_info', () => {
    const kwargs = { oracle: { kind: 'gbm', volatility: 6 }, maxDivergence: 0.03 };
    const n = 8;
    const venv = make(ID, { ...kwargs, numEnvs: n, autoresetMode: 'same-step' }) as DriftVammVectorEnv;
    const envs = Array.from({ length: n }, () => reference<number>(kwargs));
    venv.reset({ seed: 70 });
    envs.forEach((e, i) => e.reset({ seed: 70 + i }));
    const table = actionTable(n, 300, 5, 6);
    const actions = new Int32Array(n);
    let finals = 0;
    for (let t = 0; t < 300; t++) {
      for (let i = 0; i < n; i++) actions[i] = table[i]![t]!;
      const [obs, rewards, terms, truncs, infos] = venv.step(actions);
      const finalObs = infos['final_obs'] as (Float32Array | null)[];
      const finalMask = infos['_final_obs'] as Uint8Array;
      const finalInfo = infos['final_info'] as Infos;
      for (let i = 0; i < n; i++) {
        const [o, r, te, tr, info] = envs[i]!.step(actions[i]!);
        const expected = scalarRecord(o, r, te, tr, info);
        if (te || tr) {
          finals++;
          assert.equal(finalMask[i], 1);
          const fin = vectorRecord(venv, i, new Float32Array(5 * n).fill(NaN), rewards, terms, truncs, finalInfo);
          fin.obs = Array.from(finalObs[i]!);
          assert.deepEqual(fin, expected, `final of sub-env ${i} at step ${t}`);
          const [ro, rinfo] = envs[i]!.reset();
          const now = vectorRecord(venv, i, obs, rewards, terms, truncs, infos);
          assert.deepEqual(now.obs, Array.from(ro), 'the reset observation is returned');
          assert.equal(now.reward, r);
          assert.equal(now.terminated, te);
          assert.equal(now.info['step'], rinfo['step']);
        } else {
          assert.equal(finalMask[i], 0);
          assert.equal(finalObs[i], null);
          assert.deepEqual(vectorRecord(venv, i, obs, rewards, terms, truncs, infos), expected, `sub-env ${i} step ${t}`);
        }
      }
    }
    assert.ok(finals > n, `${finals} episode ends`);
  });

  it('disabled: a finished sub-env must be reset with resetMask; the reset continues its stream', () => {
    const venv = make(ID, { numEnvs: 2, autoresetMode: 'disabled', maxEpisodeSteps: 5 }) as DriftVammVectorEnv;
    const scalar = reference<number>({ maxEpisodeSteps: 5 });
    venv.reset({ seed: [3, 4] });
    scalar.reset({ seed: 4 });
    for (let t = 0; t < 5; t++) {
      const [, , , truncs] = venv.step(Int32Array.of(0, 1));
      const [, , , tr] = scalar.step(1);
      assert.equal(truncs[1] === 1, tr);
    }
    assert.throws(() => venv.step(Int32Array.of(0, 0)), (e: unknown) => e instanceof ResetNeeded && /sub-env 0 ended its episode/.test(e.message));
    const [obs] = venv.reset({ options: { resetMask: [false, true] } });
    const [so] = scalar.reset();
    assert.deepEqual(Array.from(obs.subarray(5, 10)), Array.from(so));
    assert.throws(() => venv.step(Int32Array.of(0, 0)), ResetNeeded);
    venv.reset({ options: { resetMask: Uint8Array.of(1, 0) } });
    const [obs2, rewards] = venv.step(Int32Array.of(0, 2));
    const [so2, r2] = scalar.step(2);
    assert.deepEqual(Array.from(obs2.subarray(5, 10)), Array.from(so2));
    assert.equal(rewards[1], r2);
  });

  it('an unseeded reset draws fresh seeds; a seeded one is reproducible; state is small per sub-env', () => {
    const a = make(ID, { numEnvs: 2 }) as DriftVammVectorEnv;
    a.reset();
    assert.ok(a.npRandomSeed.every((s) => s >= 0));
    const b = make(ID, { numEnvs: 2 }) as DriftVammVectorEnv;
    const c = make(ID, { numEnvs: 2 }) as DriftVammVectorEnv;
    b.reset({ seed: 9 });
    c.reset({ seed: [9, 10] });
    const acts = Int32Array.of(1, 5);
    for (let t = 0; t < 50; t++) {
      const [ob, rb] = b.step(acts);
      const rbCopy = Array.from(rb);
      const obCopy = Array.from(ob);
      const [oc, rc] = c.step(acts);
      assert.deepEqual(obCopy, Array.from(oc));
      assert.deepEqual(rbCopy, Array.from(rc));
    }
    assert.deepEqual(b.npRandomSeed, [9, 10]);
    const bytes = b.bytesPerEnv();
    assert.ok(bytes > 200 && bytes < 20_000, `${bytes} bytes per env`);
  });

  it('renders one ansi line per sub-env', () => {
    const v = make(ID, { numEnvs: 2, renderMode: 'ansi' }) as DriftVammVectorEnv;
    v.reset({ seed: 1 });
    v.step(Int32Array.of(0, 1));
    const frames = v.render();
    assert.equal(frames?.length, 2);
    assert.match(String(frames![0]), /^t=1 mark=\d+\.\d{4} oracle=/);
    assert.equal(make(ID, { numEnvs: 1 }).render(), null);
  });
});
