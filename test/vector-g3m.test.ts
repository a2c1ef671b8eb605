/**
 * The struct-of-arrays g3m-v0 (G3mVectorEnv) against the scalar env: sub-env i with seed s and
 * actions a_t reproduces `make('g3m-v0')` with the same seed and actions, bit for bit
 * (observations, rewards, terminated/truncated, every info number, clamped, termination), in the
 * autoreset modes, with per-env seeds, and on the paths that are rare under default play
 * (depletion by share and by a drained reserve, λ ≥ 10 Poisson, unequal weights, fee 0,
 * continuous actions).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  InvalidActionError, InvalidArgumentError, make, makeVec, ResetNeeded, Rng, SyncVectorEnv, type Env,
} from '../env/core/index.js';
import '../env/tasks/builtin.js';
import { inToSpotKernel, outGivenInKernel, spotPriceKernel } from '../env/amm/g3m/kernel.js';
import { MarketConfigError } from '../env/market/index.js';
import { UnsupportedVectorOptionError } from '../env/core/vector/errors.js';
import { G3mVectorEnv, G3M_INFO_NUMBER_KEYS } from '../env/tasks/g3m/vector/index.js';
import { arbitrageTrade } from '../env/tasks/g3m/vector/arbitrageTrade.js';

const ID = 'g3m-v0';
type Kwargs = Record<string, unknown>;
type Infos = Record<string, unknown>;

/** Everything the scalar step reports (but the action's name), in a form `deepEqual` compares bit for bit (Object.is). */
interface StepRecord {
  obs: number[];
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Record<string, unknown>;
}

function scalarRecord(obs: Float32Array, reward: number, terminated: boolean, truncated: boolean, info: Infos): StepRecord {
  const out: Record<string, unknown> = { clamped: info['clamped'], termination: info['termination'] };
  for (const key of G3M_INFO_NUMBER_KEYS) out[key] = info[key];
  return { obs: Array.from(obs), reward, terminated, truncated, info: out };
}

function vectorRecord(venv: G3mVectorEnv, i: number, obs: Float32Array, rewards: Float64Array, terms: Uint8Array, truncs: Uint8Array, infos: Infos): StepRecord {
  const out: Record<string, unknown> = {
    clamped: (infos['clamped'] as Uint8Array)[i] === 1,
    termination: venv.terminationName((infos['terminationCode'] as Int32Array)[i]!),
  };
  for (const key of G3M_INFO_NUMBER_KEYS) out[key] = (infos[key] as Float64Array)[i];
  return { obs: Array.from(obs.subarray(i * 6, (i + 1) * 6)), reward: rewards[i]!, terminated: terms[i] === 1, truncated: truncs[i] === 1, info: out };
}

/** Per-env action streams a_i(t), uniform over the 5 actions unless `bias` picks one. */
function actionTable(n: number, steps: number, seed: number, bias?: (rng: Rng) => number | null): Int32Array[] {
  return Array.from({ length: n }, (_, i) => {
    const rng = new Rng(seed + i);
    return Int32Array.from({ length: steps }, () => bias?.(rng) ?? rng.integers(0, 5));
  });
}

interface RunSummary {
  steps: number;
  episodes: number;
  depleted: number;
  /** Depletions where a reserve went to 0 (the arbitrageur drained it). */
  drained: number;
  arbTrades: number;
  noiseTrades: number;
  noiseInadmissible: number;
  clamped: number;
}

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

/**
 * Steps a vector env of `seeds.length` sub-envs in next-step mode for `steps` steps with actions
 * from `table`, and for each sub-env replays a scalar env: reset(seed), then step a_i(t), or
 * reset() where the vector env autoresets. Compares every record.
 */
function compareNextStep(kwargs: Kwargs, seeds: readonly number[], table: readonly Int32Array[], steps: number): RunSummary {
  const n = seeds.length;
  const venv = make(ID, { ...kwargs, numEnvs: n }) as unknown as G3mVectorEnv;
  assert.ok(venv instanceof G3mVectorEnv);
  const envs = seeds.map(() => make(ID, kwargs) as unknown as Env<Float32Array, number>);
  const [obs0, infos0] = venv.reset({ seed: [...seeds] });
  const zeros = new Float64Array(n);
  const flags = new Uint8Array(n);
  envs.forEach((env, i) => {
    const [o, info] = env.reset({ seed: seeds[i]! });
    assert.deepEqual(vectorRecord(venv, i, obs0, zeros, flags, flags, infos0), scalarRecord(o, 0, false, false, info), `sub-env ${i} reset`);
  });
  const ended = new Uint8Array(n);
  const summary: RunSummary = { steps: 0, episodes: 0, depleted: 0, drained: 0, arbTrades: 0, noiseTrades: 0, noiseInadmissible: 0, clamped: 0 };
  const actions = new Int32Array(n);
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < n; i++) actions[i] = table[i]![t]!;
    const [obs, rewards, terms, truncs, infos] = venv.step(actions);
    for (let i = 0; i < n; i++) {
      let expected: StepRecord;
      if (ended[i]) {
        const [o, info] = envs[i]!.reset();
        expected = scalarRecord(o, 0, false, false, info);
        ended[i] = 0;
      } else {
        const [o, r, te, tr, info] = envs[i]!.step(actions[i]!);
        expected = scalarRecord(o, r, te, tr, info);
        summary.steps++;
        summary.arbTrades += info['arbTrades'] as number;
        summary.noiseTrades += info['noiseTrades'] as number;
        summary.noiseInadmissible += info['noiseInadmissible'] as number;
        if (info['clamped'] === true) summary.clamped++;
        if (te) {
          summary.depleted++;
          if (info['riskyTokens'] === 0 || info['numeraire'] === 0) summary.drained++;
        }
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

/** p up most of the time: the curve flattens towards constant sum, where a large move drains it. */
const towardsConstantSum = (rng: Rng): number | null => (rng.random() < 0.6 ? 1 : null);
const NEAR_CONSTANT_SUM: Kwargs = { pGrid: [0, 0.9, 0.99, 0.999], price: { kind: 'gbm', volatility: 8 } };

describe('g3m-v0 vector env: registration and errors', () => {
  it('make(id, { numEnvs }) and makeVec return the struct-of-arrays env; sync mode still gives SyncVectorEnv', () => {
    const v = make(ID, { numEnvs: 3 });
    assert.ok(v instanceof G3mVectorEnv);
    assert.equal(v.numEnvs, 3);
    assert.equal(v.metadata.autoresetMode, 'next-step');
    assert.equal(v.spec?.id, ID);
    assert.equal(String(v.singleObservationSpace), String(make(ID).observationSpace));
    assert.equal(String(v.singleActionSpace), 'Discrete(5)');
    assert.equal((v as G3mVectorEnv).options.maxEpisodeSteps, 288);
    const w = makeVec(ID, 2, { autoresetMode: 'same-step', maxEpisodeSteps: 10, actionSpace: 'continuous' });
    assert.ok(w instanceof G3mVectorEnv);
    assert.equal(w.metadata.autoresetMode, 'same-step');
    assert.equal((w as G3mVectorEnv).options.maxEpisodeSteps, 10);
    assert.equal(String(w.singleActionSpace), String(make(ID, { actionSpace: 'continuous' }).actionSpace));
    assert.equal((make(ID, { numEnvs: 1, maxEpisodeSteps: -1 }) as G3mVectorEnv).options.maxEpisodeSteps, Infinity);
    assert.ok(makeVec(ID, 2, { vectorizationMode: 'sync' }) instanceof SyncVectorEnv);
  });

  it('refuses a price process the kernel does not implement, naming it; scalar option errors are the scalar env\'s', () => {
    for (const price of [
      { kind: 'merton', volatility: 0.8, jumpIntensity: 10, jumpStd: 0.05 },
      { kind: 'replay', prices: [100, 101, 99] },
    ]) {
      assert.throws(() => make(ID, { price, numEnvs: 2 }), (e: unknown) => {
        assert.ok(e instanceof UnsupportedVectorOptionError, String(e));
        assert.equal(e.option, 'price.kind');
        assert.equal(e.value, price.kind);
        assert.match(e.message, /option price\.kind = .* is not supported.*supported: .*gbm.*vectorizationMode: 'sync'/);
        return true;
      });
      // the sync fallback runs it
      assert.ok(makeVec(ID, 2, { price, vectorizationMode: 'sync' }) instanceof SyncVectorEnv);
    }
    assert.throws(() => make(ID, { numEnvs: 2, weight: 1 }), /g3m-v0 option weight: got 1/);
    assert.throws(() => make(ID, { numEnvs: 2, initialP: 0.3 }), /option initialP/);
    assert.throws(() => make(ID, { numEnvs: 2, price: { kind: 'gbm', volatility: -1 } }), MarketConfigError);
    assert.throws(() => make(ID, { numEnvs: 2, nonsense: 1 }), /option nonsense/);
    assert.throws(() => new G3mVectorEnv({ numEnvs: 0 }), (e: unknown) => e instanceof InvalidArgumentError && /numEnvs must be an integer/.test(e.message));
    assert.throws(() => new G3mVectorEnv({ numEnvs: 2, maxEpisodeSteps: 0 }), /maxEpisodeSteps must be a positive integer/);
    assert.throws(() => new G3mVectorEnv({ numEnvs: 2, autoresetMode: 'sometimes' as 'next-step' }), /autoresetMode must be one of/);
  });

  it('checks actions, seeds and the reset order with typed errors naming the sub-env', () => {
    const v = make(ID, { numEnvs: 2 }) as G3mVectorEnv;
    assert.throws(() => v.step(Int32Array.of(0, 0)), (e: unknown) => e instanceof ResetNeeded && /sub-env 0 was never reset/.test(e.message));
    v.reset({ seed: 1 });
    assert.throws(() => v.step(Int32Array.of(0, 5)), (e: unknown) => e instanceof InvalidActionError && /Invalid action 5 .*Discrete\(5\).*sub-env 1/.test(e.message));
    assert.throws(() => v.step([0, 1.5]), (e: unknown) => e instanceof InvalidActionError && /sub-env 1/.test(e.message));
    assert.throws(() => v.step([NaN, 0]), (e: unknown) => e instanceof InvalidActionError && /sub-env 0/.test(e.message));
    assert.throws(() => v.step(Int32Array.of(0)), (e: unknown) => e instanceof InvalidActionError && /expected 2 numbers/.test(e.message));
    assert.throws(() => v.reset({ seed: -1 }), InvalidArgumentError);
    assert.throws(() => v.reset({ seed: [1] }), /length numEnvs=2/);
    assert.throws(() => v.reset({ seed: [1, 2.5] }), /seed\[1\]/);
    assert.throws(() => v.reset({ options: { resetMask: [false, false] } }), /at least one true/);
    assert.throws(() => v.reset({ options: { resetMask: [1, 2] } }), /resetMask\[1\] must be a boolean/);
    const c = make(ID, { numEnvs: 2, actionSpace: 'continuous' }) as G3mVectorEnv;
    c.reset({ seed: 1 });
    assert.throws(() => c.step([0, 0, 1.5, 0]), (e: unknown) => e instanceof InvalidActionError && /Box\(-1\.0, 1\.0.*sub-env 1/.test(e.message));
    assert.throws(() => c.step([0, NaN, 0, 0]), (e: unknown) => e instanceof InvalidActionError && /sub-env 0/.test(e.message));
    assert.throws(() => c.step([0, 0, 0]), /expected 4 numbers/);
  });
});

describe('g3m-v0 vector env: reproduces the scalar env', () => {
  it('the fused arbitrage trade equals inToSpotKernel then outGivenInKernel on random pools', () => {
    const rng = new Rng(5);
    const res = new Float64Array(2);
    let trades = 0;
    for (let n = 0; n < 20_000; n++) {
      const xi = 10 ** rng.uniform(-2, 8);
      const xj = xi * 10 ** rng.uniform(-3, 3);
      const wi = rng.uniform(0.05, 0.95);
      const wj = 1 - wi;
      const u = rng.random();
      const p = u < 0.2 ? 0 : u < 0.3 ? 1e-13 : u < 0.4 ? rng.uniform(0.99, 0.9999) : rng.uniform(0, 1);
      const gamma = 1 - rng.uniform(0, 0.1);
      const spot = spotPriceKernel(xi, xj, wi, wj, p);
      const target = spot * (rng.random() < 0.05 ? 1 : Math.exp(-rng.uniform(0, rng.random() < 0.1 ? 5 : 0.05)));
      const amountIn = inToSpotKernel(xi, xj, wi, wj, p, gamma, target);
      const out = outGivenInKernel(xi, xj, wi, wj, p, gamma, amountIn);
      arbitrageTrade(xi, xj, wi / wj, p, gamma, spot, target, res);
      assert.ok(Object.is(res[0], amountIn) && Object.is(res[1], out), `pool ${n}: ${res[0]}, ${res[1]} vs ${amountIn}, ${out}`);
      if (amountIn > 0) trades++;
    }
    assert.ok(trades > 15_000, `${trades} trades`);
  });

  it('N = 1: full episodes with a fixed and a random action sequence', () => {
    const steps = 2 * 288 + 5;
    const fixed = [Int32Array.from({ length: steps }, (_, t) => [0, 1, 0, 3, 2, 4, 1, 1, 1, 1, 1][t % 11]!)];
    const a = compareNextStep({}, [7], fixed, steps);
    assert.equal(a.episodes, 2);
    assert.ok(a.clamped > 0 && a.arbTrades > 100 && a.noiseTrades > 50, JSON.stringify(a));
    const b = compareNextStep({}, [8], actionTable(1, steps, 100), steps);
    assert.equal(b.episodes, 2);
  });

  it('N = 64 with per-env seeds reproduces 64 scalar runs, across the time limit and the autoreset', () => {
    const seeds = Array.from({ length: 64 }, (_, i) => 1000 + 3 * i);
    const s = compareNextStep({}, seeds, actionTable(64, 320, 7), 320);
    assert.equal(s.episodes, 64);
    assert.ok(s.clamped > 0 && s.noiseTrades > 0, JSON.stringify(s));
  });

  it('depletion at different times in different sub-envs, by share and by a drained reserve', () => {
    const seeds = Array.from({ length: 16 }, (_, i) => 50 + i);
    const s = compareNextStep(NEAR_CONSTANT_SUM, seeds, actionTable(16, 300, 3, towardsConstantSum), 300);
    assert.ok(s.depleted > 32, JSON.stringify(s));
    assert.ok(s.drained > 0 && s.drained < s.depleted, JSON.stringify(s));
    assert.ok(s.noiseInadmissible > 0, JSON.stringify(s));
  });

  it('rare flow paths and other options: λ ≥ 10 arrivals (PTRS Poisson), unequal weight, fee 0, step and horizon sizes', () => {
    const seeds = [1, 2, 3];
    const table = actionTable(3, 120, 21);
    const busy = compareNextStep({ noise: { arrivalsPerBlock: 12, sizeSigma: 2 }, weight: 0.3, feeGrid: [0, 0.002, 0.01], initialFee: 0 }, seeds, table, 120);
    assert.ok(busy.noiseTrades > 10_000, JSON.stringify(busy));
    compareNextStep({ noise: { arrivalsPerBlock: 0 }, weight: 0.8, initialP: 0.5, blocksPerStep: 3, blockSec: 600, horizon: 40, initialPrice: 2.5, poolValue: 1e3 }, seeds, table, 120);
    compareNextStep({ price: { kind: 'gbm', drift: 3, volatility: 2 }, pGrid: [0.2, 0.6], initialP: 0.6 }, seeds, table, 120);
  });

  it('continuous actions (flat [a0, a1] per sub-env, float32 like the scalar Box), with a log-uniform and a linear fee map', () => {
    for (const kwargs of [{ actionSpace: 'continuous' }, { actionSpace: 'continuous', feeGrid: [0, 0.05], ...NEAR_CONSTANT_SUM }]) {
      const n = 3;
      const venv = make(ID, { ...kwargs, numEnvs: n, autoresetMode: 'same-step' }) as G3mVectorEnv;
      const envs = Array.from({ length: n }, () => make(ID, kwargs) as unknown as Env<Float32Array, Float32Array>);
      venv.reset({ seed: 40 });
      envs.forEach((e, i) => e.reset({ seed: 40 + i }));
      const rng = new Rng(9);
      const flat = new Float64Array(2 * n);
      for (let t = 0; t < 400; t++) {
        for (let j = 0; j < 2 * n; j++) flat[j] = rng.random() < 0.3 ? 0 : rng.uniform(-1, 1);
        const [obs, rewards, terms, truncs, infos] = venv.step(flat);
        const finalInfo = infos['final_info'] as Infos;
        for (let i = 0; i < n; i++) {
          const [o, r, te, tr, info] = envs[i]!.step(Float32Array.from(flat.subarray(2 * i, 2 * i + 2)));
          const expected = scalarRecord(o, r, te, tr, info);
          if (te || tr) {
            const fin = vectorRecord(venv, i, new Float32Array(6 * n), rewards, terms, truncs, finalInfo);
            fin.obs = Array.from((infos['final_obs'] as Float32Array[])[i]!);
            assert.deepEqual(fin, expected, `continuous sub-env ${i} final at step ${t}`);
            envs[i]!.reset();
          } else {
            assert.deepEqual(vectorRecord(venv, i, obs, rewards, terms, truncs, infos), expected, `continuous sub-env ${i} step ${t}`);
          }
        }
      }
    }
  });
});

describe('g3m-v0 vector env: autoreset modes', () => {
  it('same-step: the ending step returns the reset observation, the terminal one in final_obs / final_info', () => {
    const n = 8;
    const venv = make(ID, { ...NEAR_CONSTANT_SUM, numEnvs: n, autoresetMode: 'same-step', maxEpisodeSteps: 60 }) as G3mVectorEnv;
    const envs = Array.from({ length: n }, () => make(ID, { ...NEAR_CONSTANT_SUM, maxEpisodeSteps: 60 }) as unknown as Env<Float32Array, number>);
    venv.reset({ seed: 70 });
    envs.forEach((e, i) => e.reset({ seed: 70 + i }));
    const table = actionTable(n, 300, 5);
    const actions = new Int32Array(n);
    let terminal = 0;
    let truncated = 0;
    for (let t = 0; t < 300; t++) {
      for (let i = 0; i < n; i++) actions[i] = table[i]![t]!;
      const [obs, rewards, terms, truncs, infos] = venv.step(actions);
      const finalObs = infos['final_obs'] as (Float32Array | null)[];
      const finalMask = infos['_final_obs'] as Uint8Array;
      const finalInfo = infos['final_info'] as Infos;
      assert.equal(infos['_final_info'], finalMask);
      for (let i = 0; i < n; i++) {
        const [o, r, te, tr, info] = envs[i]!.step(actions[i]!);
        const expected = scalarRecord(o, r, te, tr, info);
        if (te || tr) {
          if (te) terminal++;
          else truncated++;
          assert.equal(finalMask[i], 1);
          const fin = vectorRecord(venv, i, new Float32Array(6 * n), rewards, terms, truncs, finalInfo);
          fin.obs = Array.from(finalObs[i]!);
          assert.deepEqual(fin, expected, `final of sub-env ${i} at step ${t}`);
          const [ro, rinfo] = envs[i]!.reset();
          const now = vectorRecord(venv, i, obs, rewards, terms, truncs, infos);
          assert.deepEqual(now.obs, Array.from(ro), 'the reset observation is returned');
          assert.ok(Object.is(now.reward, r));
          assert.equal(now.terminated, te);
          assert.equal(now.truncated, tr);
          assert.deepEqual(now.info, { ...scalarRecord(ro, 0, false, false, rinfo).info }, 'the reset info is returned');
        } else {
          assert.equal(finalMask[i], 0);
          assert.equal(finalObs[i], null);
          assert.deepEqual(vectorRecord(venv, i, obs, rewards, terms, truncs, infos), expected, `sub-env ${i} step ${t}`);
        }
      }
    }
    assert.ok(terminal > n && truncated > 0, `${terminal} terminations, ${truncated} truncations`);
  });

  it('disabled: a finished sub-env must be reset with resetMask; the reset continues its stream', () => {
    const venv = make(ID, { numEnvs: 2, autoresetMode: 'disabled', maxEpisodeSteps: 5 }) as G3mVectorEnv;
    const scalar = make(ID, { maxEpisodeSteps: 5 }) as unknown as Env<Float32Array, number>;
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
    assert.deepEqual(Array.from(obs.subarray(6, 12)), Array.from(so));
    assert.throws(() => venv.step(Int32Array.of(0, 0)), ResetNeeded);
    venv.reset({ options: { resetMask: Uint8Array.of(1, 0) } });
    const [obs2, rewards] = venv.step(Int32Array.of(0, 3));
    const [so2, r2] = scalar.step(3);
    assert.deepEqual(Array.from(obs2.subarray(6, 12)), Array.from(so2));
    assert.ok(Object.is(rewards[1], r2));
  });

  it('an unseeded reset draws fresh seeds; a seeded one is reproducible; state is small per sub-env', () => {
    const a = make(ID, { numEnvs: 2 }) as G3mVectorEnv;
    a.reset();
    assert.ok(a.npRandomSeed.every((s) => s >= 0));
    const b = make(ID, { numEnvs: 2 }) as G3mVectorEnv;
    const c = make(ID, { numEnvs: 2 }) as G3mVectorEnv;
    b.reset({ seed: 9 });
    c.reset({ seed: [9, 10] });
    const acts = Int32Array.of(1, 3);
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
    assert.ok(bytes > 50 && bytes < 1000, `${bytes} bytes per env`);
  });

  it('renders one ansi line per sub-env, as the scalar env does', () => {
    const v = make(ID, { numEnvs: 2, renderMode: 'ansi' }) as G3mVectorEnv;
    const s = make(ID, { renderMode: 'ansi' }) as unknown as Env<Float32Array, number>;
    v.reset({ seed: 1 });
    s.reset({ seed: 2 });
    v.step(Int32Array.of(0, 1));
    s.step(1);
    const frames = v.render();
    assert.equal(frames?.length, 2);
    assert.equal(frames![1], s.render());
    assert.equal(make(ID, { numEnvs: 1 }).render(), null);
  });
});
