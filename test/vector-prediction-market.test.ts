/**
 * The struct-of-arrays prediction-market-v0 (PredictionMarketVectorEnv) against the scalar env:
 * sub-env i with seed s and actions a_t reproduces `make('prediction-market-v0')` with the same seed
 * and actions bit for bit (observations, rewards, terminated/truncated, every info number, the
 * action and outcome names), over several markets each, in the next-step and same-step autoreset
 * modes, with per-env seeds, on both action spaces, every reward mode, both Poisson paths, a
 * TimeLimit shorter than the horizon; plus the kernel's markup shortcut bound, the disabled mode,
 * invalid actions and the refused option.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  InvalidActionError, InvalidArgumentError, make, makeVec, ResetNeeded, Rng, type Env,
} from '../env/core/index.js';
import { register, registeredSpecs } from '../env/core/registration/registry.js';
import { buyGivenCollateralIn, impliedProbability } from '../env/amm/probability-space/index.js';
import { PREDICTION_MARKET_SPECS } from '../env/tasks/prediction-market/index.js';
import {
  INFO_NUMBER_KEYS, PredictionMarketVectorEnv, UnsupportedVectorOptionError,
} from '../env/tasks/prediction-market/vector/index.js';

for (const init of PREDICTION_MARKET_SPECS) if (!registeredSpecs().has(init.id)) register(init);

const ID = 'prediction-market-v0';
type Kwargs = Record<string, unknown>;
type Infos = Record<string, unknown>;
type Action = number | Float32Array;

/** Everything a step reports, in a form `deepEqual` compares bit for bit (Object.is on numbers). */
interface Row {
  obs: number[];
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Record<string, unknown>;
}

function scalarRow(obs: Float32Array, reward: number, terminated: boolean, truncated: boolean, info: Infos): Row {
  const out: Record<string, unknown> = { action: info['action'], outcome: info['outcome'] };
  for (const key of INFO_NUMBER_KEYS) out[key] = key === 'profit' ? (info['profit'] ?? NaN) : info[key];
  return { obs: Array.from(obs), reward, terminated, truncated, info: out };
}

function vectorInfo(venv: PredictionMarketVectorEnv, i: number, infos: Infos): Record<string, unknown> {
  const out: Record<string, unknown> = {
    action: venv.actionName((infos['actionCode'] as Int32Array)[i]!),
    outcome: venv.outcomeName((infos['outcomeCode'] as Int32Array)[i]!),
  };
  for (const key of INFO_NUMBER_KEYS) out[key] = (infos[key] as Float64Array)[i];
  return out;
}

function vectorRow(venv: PredictionMarketVectorEnv, i: number, obs: Float32Array, rewards: Float64Array, terms: Uint8Array, truncs: Uint8Array, infos: Infos): Row {
  return { obs: Array.from(obs.subarray(i * 5, (i + 1) * 5)), reward: rewards[i]!, terminated: terms[i] === 1, truncated: truncs[i] === 1, info: vectorInfo(venv, i, infos) };
}

/** Sub-env i's action at step t: discrete from a seeded Rng (hold half the time), or a float32 pair. */
function actionFor(rngs: Rng[], i: number, continuous: boolean): Action {
  const rng = rngs[i]!;
  if (continuous) return Float32Array.of(rng.uniform(-1, 1), rng.uniform(-1, 1));
  return rng.random() < 0.5 ? 0 : rng.integers(1, 9);
}

interface Summary {
  steps: number;
  resolutions: number;
  truncations: number;
  declined: number;
  noiseTrades: number;
  informedTrades: number;
}

/**
 * Steps `n` scalar envs and one vector env side by side for `steps` vector steps and asserts every
 * row equal. Next-step mode: an ended scalar env is reset on the next step (action ignored);
 * same-step mode: it is reset at once, its last step going to final_obs / final_info.
 */
function runDifferential(kwargs: Kwargs, n: number, seeds: number[], steps: number, mode: 'next-step' | 'same-step'): Summary {
  const continuous = kwargs['actionSpace'] === 'continuous';
  const scalars = seeds.map(() => make(ID, kwargs) as unknown as Env<Float32Array, Action>);
  const venv = make(ID, { ...kwargs, numEnvs: n, autoresetMode: mode }) as PredictionMarketVectorEnv;
  assert.ok(venv instanceof PredictionMarketVectorEnv);
  assert.equal(venv.metadata.autoresetMode, mode);
  const rngs = seeds.map((s) => new Rng(1000 + s));
  const summary: Summary = { steps: 0, resolutions: 0, truncations: 0, declined: 0, noiseTrades: 0, informedTrades: 0 };

  const [vobs, vinfos] = venv.reset({ seed: seeds });
  for (let i = 0; i < n; i++) {
    const [obs, info] = scalars[i]!.reset({ seed: seeds[i]! });
    assert.deepEqual(vectorRow(venv, i, vobs, new Float64Array(n), new Uint8Array(n), new Uint8Array(n), vinfos), scalarRow(obs, 0, false, false, info), `reset row of sub-env ${i}`);
  }
  const ended = new Uint8Array(n);
  const flat = continuous ? new Float64Array(2 * n) : new Float64Array(n);
  for (let t = 0; t < steps; t++) {
    const acts = scalars.map((_, i) => actionFor(rngs, i, continuous));
    acts.forEach((a, i) => {
      if (typeof a === 'number') flat[i] = a;
      else flat.set(a, 2 * i);
    });
    const [obs, rewards, terms, truncs, infos] = venv.step(flat);
    for (let i = 0; i < n; i++) {
      const env = scalars[i]!;
      const got = vectorRow(venv, i, obs, rewards, terms, truncs, infos);
      if (mode === 'next-step' && ended[i] === 1) {
        const [o, info] = env.reset();
        assert.deepEqual(got, scalarRow(o, 0, false, false, info), `sub-env ${i} step ${t}: next-step autoreset row`);
        ended[i] = 0;
        continue;
      }
      const [o, r, term, trunc, info] = env.step(acts[i]!);
      const want = scalarRow(o, r, term, trunc, info);
      summary.steps++;
      summary.declined += info['noiseDeclined'] as number;
      summary.noiseTrades += info['noiseTrades'] as number;
      summary.informedTrades += info['informedTrades'] as number;
      if (term) summary.resolutions++;
      if (trunc) summary.truncations++;
      if (!(term || trunc)) {
        assert.deepEqual(got, want, `sub-env ${i} step ${t}`);
        if (mode === 'same-step') assert.equal((infos['_final_obs'] as Uint8Array)[i], 0);
        continue;
      }
      if (mode === 'next-step') {
        assert.deepEqual(got, want, `sub-env ${i} step ${t}: final step`);
        ended[i] = 1;
        continue;
      }
      // same-step: the terminal step in final_obs / final_info, the new market's reset in obs / info
      assert.equal((infos['_final_obs'] as Uint8Array)[i], 1);
      const finalObs = (infos['final_obs'] as (Float32Array | null)[])[i]!;
      const finalInfo = infos['final_info'] as Infos;
      assert.deepEqual({ ...want, obs: Array.from(finalObs), info: vectorInfo(venv, i, finalInfo) }, want, `sub-env ${i} step ${t}: final_obs / final_info`);
      assert.deepEqual({ reward: got.reward, terminated: got.terminated, truncated: got.truncated }, { reward: r, terminated: term, truncated: trunc });
      const [ro, rinfo] = env.reset();
      const reset = scalarRow(ro, 0, false, false, rinfo);
      assert.deepEqual({ obs: got.obs, info: got.info }, { obs: reset.obs, info: reset.info }, `sub-env ${i} step ${t}: same-step reset row`);
    }
  }
  return summary;
}

describe('PredictionMarketVectorEnv reproduces the scalar env bit for bit', () => {
  it('N = 1, default options, next-step autoreset, five markets', () => {
    const s = runDifferential({}, 1, [3], 5 * 51, 'next-step');
    assert.equal(s.resolutions, 5);
    assert.ok(s.declined > 100 && s.noiseTrades > 100 && s.informedTrades > 10, JSON.stringify(s));
  });

  it('N = 64 with per-env seeds, next-step autoreset', () => {
    const seeds = Array.from({ length: 64 }, (_, i) => 97 * i + 5);
    const s = runDifferential({}, 64, seeds, 130, 'next-step');
    assert.equal(s.resolutions, 128);
  });

  it('N = 64 with per-env seeds, same-step autoreset', () => {
    const seeds = Array.from({ length: 64 }, (_, i) => 31 * i + 1);
    const s = runDifferential({}, 64, seeds, 110, 'same-step');
    assert.equal(s.resolutions, 128);
  });

  it('continuous actions, pnl reward, a TimeLimit shorter than the horizon (truncations)', () => {
    const kwargs = { actionSpace: 'continuous', reward: 'pnl', horizon: 30, maxEpisodeSteps: 20 };
    for (const mode of ['next-step', 'same-step'] as const) {
      const s = runDifferential(kwargs, 8, [0, 1, 2, 3, 4, 5, 6, 7], 65, mode);
      assert.ok(s.truncations >= 16 && s.resolutions === 0, JSON.stringify(s));
    }
  });

  it('sparse reward, few arrivals (Knuth Poisson), capped informed trades, no opening spread, zero fee', () => {
    const kwargs = {
      reward: 'sparse', horizon: 12, initialSpread: 0, feeLevels: [0, 0.02],
      traders: { noiseRate: 3, informedRate: 2, informedMaxCollateral: 5, noiseElasticity: 1 },
    };
    const s = runDifferential(kwargs, 16, Array.from({ length: 16 }, (_, i) => i + 40), 40, 'next-step');
    assert.ok(s.resolutions >= 32 && s.informedTrades > 0, JSON.stringify(s));
  });

  it('reset without a seed continues each sub-env stream like the scalar env', () => {
    const scalar = make(ID) as unknown as Env<Float32Array, number>;
    const venv = make(ID, { numEnvs: 1 }) as PredictionMarketVectorEnv;
    scalar.reset({ seed: 11 });
    venv.reset({ seed: 11 });
    for (let t = 0; t < 7; t++) {
      scalar.step(t % 9);
      venv.step([t % 9]);
    }
    const [o, info] = scalar.reset();
    const [vo, vinfos] = venv.reset();
    assert.deepEqual(Array.from(vo), Array.from(o));
    assert.deepEqual(vectorInfo(venv, 0, vinfos), scalarRow(o, 0, false, false, info).info);
    assert.deepEqual(venv.npRandomSeed, [11]);
  });
});

describe("PredictionMarketVectorEnv's markup shortcut", () => {
  it('never declines a trader the scalar env would let trade: the computed markup is at least the fee bound', () => {
    // the kernel declines without pricing when tolerance < (1 − 1e-9)/γ − 1 and the pool ratio is within (1 + 6√τ)^±1
    const rng = new Rng(5);
    let checked = 0;
    for (let trial = 0; trial < 20000; trial++) {
      const t = Math.exp(rng.uniform(Math.log(1e-5), 0));
      const fee = rng.random() < 0.1 ? 0 : rng.uniform(0, 0.2);
      const scale = Math.exp(rng.uniform(-10, 30));
      const sqrtT = Math.sqrt(t);
      const ratio = Math.exp(rng.uniform(-1, 1) * Math.log1p(6 * sqrtT));
      const yes = scale;
      const no = scale * ratio;
      if (!(no <= yes * (1 + 6 * sqrtT) && yes <= no * (1 + 6 * sqrtT))) continue;
      const c = scale * Math.exp(rng.uniform(-40, 3));
      const buyYes = rng.random() < 0.5;
      const pYes = impliedProbability(yes, no, t);
      const pSide = buyYes ? pYes : 1 - pYes;
      const trade = buyGivenCollateralIn({ yes, no }, t, buyYes ? 'yes' : 'no', c, fee);
      const bound = (1 - 1e-9) / (1 - fee) - 1;
      if (!(trade.amountOut > 0)) continue; // a zero fill is declined anyway
      const markup = c / (trade.amountOut * pSide) - 1;
      assert.ok(markup >= bound, `t=${t} fee=${fee} yes=${yes} no=${no} c=${c} ${buyYes ? 'YES' : 'NO'}: markup ${markup} < bound ${bound}`);
      checked++;
    }
    assert.ok(checked > 15000, `checked ${checked}`);
  });
});

describe('PredictionMarketVectorEnv registration, modes and errors', () => {
  it('make(id, { numEnvs }) returns the native vector env; makeVec sync still gives SyncVectorEnv', () => {
    const venv = make(ID, { numEnvs: 3 });
    assert.ok(venv instanceof PredictionMarketVectorEnv);
    assert.equal(venv.numEnvs, 3);
    assert.equal((venv as PredictionMarketVectorEnv).options.maxEpisodeSteps, 50);
    assert.ok(!(makeVec(ID, 2, { vectorizationMode: 'sync' }) instanceof PredictionMarketVectorEnv));
    assert.ok((venv as PredictionMarketVectorEnv).bytesPerEnv() > 100);
  });

  it("'disabled' mode refuses to step an ended sub-env until a masked reset", () => {
    const venv = make(ID, { numEnvs: 2, autoresetMode: 'disabled', horizon: 3, maxEpisodeSteps: 3 }) as PredictionMarketVectorEnv;
    venv.reset({ seed: 1 });
    for (let t = 0; t < 3; t++) venv.step([0, 0]);
    assert.deepEqual(Array.from(venv.columns.ended), [1, 1]);
    assert.throws(() => venv.step([0, 0]), (e: unknown) => e instanceof ResetNeeded && /sub-env 0 ended its episode/.test(e.message));
    const [obs] = venv.reset({ options: { resetMask: [true, true] } });
    assert.equal(obs[0], 1); // τ = 1 after the reset
    const [, , terms] = venv.step([0, 0]);
    assert.deepEqual(Array.from(terms), [0, 0]);
  });

  it('step before reset throws ResetNeeded naming the sub-env', () => {
    const venv = make(ID, { numEnvs: 2 }) as PredictionMarketVectorEnv;
    assert.throws(() => venv.step([0, 0]), (e: unknown) => e instanceof ResetNeeded && /sub-env 0 was never reset/.test(e.message));
  });

  it('invalid actions throw InvalidActionError naming the sub-env and the space', () => {
    const venv = make(ID, { numEnvs: 3 }) as PredictionMarketVectorEnv;
    venv.reset({ seed: 0 });
    for (const bad of [NaN, 9, -1, 1.5]) {
      assert.throws(() => venv.step([0, bad, 0]), (e: unknown) => e instanceof InvalidActionError && /sub-env 1/.test(e.message) && /Discrete\(9\)/.test(e.message), String(bad));
    }
    assert.throws(() => venv.step([0, 0]), (e: unknown) => e instanceof InvalidActionError && /expected 3 numbers/.test(e.message));
    const cont = make(ID, { numEnvs: 2, actionSpace: 'continuous' }) as PredictionMarketVectorEnv;
    cont.reset({ seed: 0 });
    assert.throws(() => cont.step([0, 0, 1.5, 0]), (e: unknown) => e instanceof InvalidActionError && /sub-env 1/.test(e.message) && /Box/.test(e.message));
    assert.throws(() => cont.step([0, NaN, 0, 0]), (e: unknown) => e instanceof InvalidActionError && /sub-env 0/.test(e.message));
  });

  it('refuses trade sizes that can overflow with UnsupportedVectorOptionError, and bad scalar options as the scalar env does', () => {
    assert.throws(() => make(ID, { numEnvs: 2, traders: { noiseMedianCollateral: 1e260 } }),
      (e: unknown) => e instanceof UnsupportedVectorOptionError && /traders\.noiseMedianCollateral/.test(e.message) && /vectorizationMode: 'sync'/.test(e.message));
    let scalarMessage = '';
    try {
      make(ID, { horizon: 1 });
    } catch (e) {
      scalarMessage = (e as Error).message;
    }
    assert.throws(() => make(ID, { numEnvs: 2, horizon: 1 }), (e: unknown) => e instanceof InvalidArgumentError && e.message === scalarMessage);
    assert.throws(() => make(ID, { numEnvs: 2, autoresetMode: 'sometimes' }), (e: unknown) => e instanceof InvalidArgumentError && /autoresetMode/.test(e.message));
    const venv = make(ID, { numEnvs: 2 }) as PredictionMarketVectorEnv;
    assert.throws(() => venv.reset({ seed: [1] }), (e: unknown) => e instanceof InvalidArgumentError && /length numEnvs=2/.test(e.message));
    assert.throws(() => venv.reset({ options: { resetMask: [false, false] } }), (e: unknown) => e instanceof InvalidArgumentError && /at least one true/.test(e.message));
  });
});
