/**
 * g3m-v0 through the registry: checkEnv in every variant, determinism, the reward identities
 * (fees − LVR; pool minus rebalancing portfolio), the arbitrage loop against the LVR anchors of
 * amm-curves.md §2.6 (constant product with fees) and σ²V/(8(1−p)) for the fee-free G3M, the
 * no-arbitrage band, action semantics, the p-change cost, and argument errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkEnv, InvalidActionError, InvalidArgumentError, ResetNeeded, make, register, registeredSpecs, type Env,
} from '../env/core/index.js';
import { G3M_SPECS, G3mEnv, type G3mEnvOptions } from '../env/tasks/g3m/index.js';

for (const spec of G3M_SPECS) if (!registeredSpecs().has(spec.id)) register(spec);

const ID = 'g3m-v0';
type Step = { obs: number[]; reward: number; terminated: boolean; info: Record<string, unknown> };

function rollout(env: Env<unknown, unknown>, seed: number, steps: number, pick: (t: number) => unknown): Step[] {
  const out: Step[] = [];
  env.reset({ seed });
  for (let t = 0; t < steps; t++) {
    const [obs, reward, terminated, truncated, info] = env.step(pick(t));
    out.push({ obs: Array.from(obs as Float32Array), reward, terminated, info });
    if (terminated || truncated) break;
  }
  return out;
}

/** No noise flow: only price moves and arbitrage. */
const QUIET: G3mEnvOptions = { noise: { arrivalsPerBlock: 0 } };

describe('g3m-v0', () => {
  it('passes checkEnv in every action space × price process variant', () => {
    const prices = [
      undefined,
      { kind: 'merton', volatility: 0.8, jumpIntensity: 50, jumpStd: 0.05 },
      { kind: 'replay', prices: [100, 101, 99.5, 102, 98], loop: true },
    ] as const;
    for (const actionSpace of ['discrete', 'continuous'] as const) {
      for (const price of prices) {
        const env = make(ID, { actionSpace, ...(price ? { price } : {}) });
        checkEnv(env.unwrapped);
        env.close();
      }
    }
    // unequal weights and a p-off-zero start (the reserves then split by ((1 − w)/w)^(1/(1 − p)))
    const skewed = make(ID, { weight: 0.8, initialP: 0.5 });
    checkEnv(skewed.unwrapped);
    const [, info] = skewed.reset({ seed: 1 });
    assert.ok(Math.abs((info.poolPriceNumeraire as number) / 100 - 1) <= 1e-12, 'the pool starts at the external price');
    assert.ok(Math.abs((info.poolValueNumeraire as number) / 1e6 - 1) <= 1e-12);
  });

  it('gives bit-identical episodes for the same seed and different ones for another seed', () => {
    const pick = (t: number) => [0, 1, 3, 0, 2, 4, 1, 1][t % 8]!;
    const a = rollout(make(ID), 7, 200, pick);
    const b = rollout(make(ID), 7, 200, pick);
    assert.deepEqual(a, b);
    const c = rollout(make(ID), 8, 200, pick);
    assert.notDeepEqual(a.map((s) => s.reward), c.map((s) => s.reward));
    const cont = (t: number) => Float32Array.of(Math.sin(t), Math.cos(t));
    assert.deepEqual(rollout(make(ID, { actionSpace: 'continuous' }), 3, 100, cont), rollout(make(ID, { actionSpace: 'continuous' }), 3, 100, cont));
  });

  it('rewards fees − LVR, which is the pool\'s value change minus a rebalancing portfolio\'s, every step', () => {
    // one block per step, so a step's price move happens before all of its trades
    const env = new G3mEnv({ blocksPerStep: 1, noise: { arrivalsPerBlock: 2 } });
    let [, prev] = env.reset({ seed: 21 });
    let trades = 0;
    for (let t = 0; t < 1500; t++) {
      const [, r, term, trunc, info] = env.step([0, 1, 0, 3, 0, 0, 2, 4][t % 8]!);
      const n = (k: string, i: Record<string, unknown> = info) => i[k] as number;
      const decomposition = n('feesNumeraire') - n('arbLossNumeraire') - n('noiseMarkoutNumeraire');
      const scale = Math.max(1, n('feesNumeraire') + Math.abs(n('arbLossNumeraire')) + Math.abs(n('noiseMarkoutNumeraire')));
      assert.ok(Math.abs(r - decomposition) <= 1e-9 * scale, `step ${t}: ${r} vs ${decomposition}`);
      const rebalancing = n('riskyTokens', prev) * (n('priceNumeraire') - n('priceNumeraire', prev));
      const poolChange = n('poolValueNumeraire') - n('poolValueNumeraire', prev);
      assert.ok(Math.abs(r - (poolChange - rebalancing)) <= 1e-9 * n('poolValueNumeraire'), `step ${t}: ${r} vs ${poolChange - rebalancing}`);
      trades += n('noiseTrades') + n('arbTrades');
      prev = info;
      if (term || trunc) break;
    }
    assert.ok(trades > 500, `only ${trades} trades`);
  });

  it('keeps the pool price in the no-arbitrage band [γS, S/γ] after every block without noise', () => {
    for (const p of [0, 0.5, 0.9]) {
      const env = make(ID, { ...QUIET, blocksPerStep: 1, pGrid: [p], initialP: p });
      env.reset({ seed: 4 });
      let moved = 0;
      for (let t = 0; t < 400; t++) {
        const [, , , , info] = env.step(t % 5 === 3 ? 3 : t % 5 === 4 ? 4 : 0);
        const s = info.priceNumeraire as number;
        const pool = info.poolPriceNumeraire as number;
        const gamma = 1 - (info.fee as number);
        assert.ok(pool >= gamma * s * (1 - 1e-12) && pool <= (s / gamma) * (1 + 1e-12), `p=${p} t=${t}: pool ${pool}, external ${s}, γ ${gamma}`);
        moved += info.arbTrades as number;
      }
      assert.ok(moved > 20, `p=${p}: ${moved} arbitrage trades`);
    }
  });

  it('reproduces the constant-block LVR-with-fees table of amm-curves.md §2.6 on the constant-product curve (p = 0)', () => {
    // ARB/(σ_b²·V/4) per block with σ_b = 0.002, fee with −ln(1 − fee) = r·σ_b; table (const-block MC): 0.4998, 0.2690, 0.1841, 0.0813, 0.0275
    const sigmaB = 0.002;
    const blockSec = 12;
    const volatility = sigmaB * Math.sqrt((365 * 86_400) / blockSec);
    const rows: [number, number, number][] = [[0, 0.4998, 0.015], [0.5, 0.2690, 0.015], [1, 0.1841, 0.015], [3, 0.0813, 0.03], [10, 0.0275, 0.06]];
    for (const [r, expected, tol] of rows) {
      const fee = -Math.expm1(-r * sigmaB);
      const env = new G3mEnv({ ...QUIET, blockSec, blocksPerStep: 1, pGrid: [0], feeGrid: [fee], initialP: 0, initialFee: fee, price: { kind: 'gbm', volatility } });
      let arb = 0;
      let norm = 0;
      for (let path = 0; path < 20; path++) {
        let [, info] = env.reset({ seed: 991 + path });
        for (let b = 0; b < 30_000; b++) {
          const v = info.poolValueNumeraire as number;
          const [, reward, , , next] = env.step(0);
          arb -= reward; // the arbitrageur's profit net of the fee it paid
          norm += (sigmaB * sigmaB * v) / 4;
          info = next;
        }
      }
      const got = arb / norm;
      assert.ok(Math.abs(got / expected - 1) <= tol, `r=${r}: ${got.toFixed(4)} vs ${expected} (±${tol * 100} %)`);
      assert.ok(Math.abs(got / (1 / (2 + 1.7164 * 2 * r)) - 1) <= tol, `r=${r}: Nezlobin–Tassy with γ_spread = 2γ_fee`);
    }
  });

  it('measures the fee-free G3M LVR σ²·V/(8(1 − p)) near balance (liquidity V/(4(1 − p)))', () => {
    const sigmaB = 0.002;
    const blockSec = 12;
    const volatility = sigmaB * Math.sqrt((365 * 86_400) / blockSec);
    for (const p of [0, 0.5, 0.75, 0.9]) {
      const env = new G3mEnv({ ...QUIET, blockSec, blocksPerStep: 1, pGrid: [p], feeGrid: [0], initialP: p, initialFee: 0, price: { kind: 'gbm', volatility } });
      let arb = 0;
      let norm = 0;
      for (let path = 0; path < 2000; path++) {
        let [, info] = env.reset({ seed: 5 + path });
        for (let b = 0; b < 100; b++) {
          const v = info.poolValueNumeraire as number;
          const [, reward, , , next] = env.step(0);
          arb -= reward;
          norm += (sigmaB * sigmaB * v) / 4;
          info = next;
        }
      }
      const theory = 0.5 / (1 - p);
      assert.ok(Math.abs(arb / norm / theory - 1) <= 0.01, `p=${p}: ${(arb / norm).toFixed(4)} vs ${theory}`);
    }
  });

  it('steps p and fee along their grids, clamps at the ends, and maps the continuous action onto the ranges', () => {
    const env = make(ID) as unknown as Env<Float32Array, number>;
    const [obs0, info0] = env.reset({ seed: 1 });
    assert.equal(info0.p, 0);
    assert.equal(info0.fee, 0.003);
    assert.equal(obs0[2], 0);
    const ps: number[] = [];
    for (let k = 0; k < 6; k++) ps.push(env.step(1)[4].p as number);
    assert.deepEqual(ps, [0.25, 0.5, 0.75, 0.9, 0.9, 0.9]);
    let last = env.step(2)[4];
    assert.equal(last.p, 0.75);
    last = env.step(3)[4];
    assert.equal(last.fee, 0.005);
    assert.equal(last.clamped, false);
    env.step(3);
    last = env.step(3)[4];
    assert.equal(last.fee, 0.01);
    assert.equal(last.clamped, true);
    const [obs] = env.step(4);
    assert.equal(obs[3], Math.fround(0.005));
    const cont = make(ID, { actionSpace: 'continuous' }) as unknown as Env<Float32Array, Float32Array>;
    cont.reset({ seed: 1 });
    let i = cont.step(Float32Array.of(-1, -1))[4];
    assert.equal(i.p, 0);
    assert.ok(Math.abs((i.fee as number) - 0.001) < 1e-15);
    i = cont.step(Float32Array.of(1, 1))[4];
    assert.ok(Math.abs((i.p as number) - 0.9) < 1e-15);
    assert.ok(Math.abs((i.fee as number) - 0.01) < 1e-15);
    i = cont.step(Float32Array.of(0, 0))[4];
    assert.ok(Math.abs((i.p as number) - 0.45) < 1e-15);
    assert.ok(Math.abs((i.fee as number) - Math.sqrt(0.001 * 0.01)) < 1e-15, 'the fee axis is log-uniform');
  });

  it('charges a p change on an unbalanced pool to arbitrage: the pool price jumps and the next block realigns it at a loss', () => {
    // a replay price 10 % above the reference leaves the pool unbalanced; then raise p at a constant price
    const opts: G3mEnvOptions = { ...QUIET, blocksPerStep: 1, price: { kind: 'replay', prices: [100, 110, 110, 110, 110] } };
    const hold = make(ID, { ...opts });
    const move = make(ID, { ...opts });
    hold.reset({ seed: 0 });
    move.reset({ seed: 0 });
    for (const env of [hold, move]) env.step(0);
    const [, rHold, , , iHold] = hold.step(0);
    const [, rMove, , , iMove] = move.step(1);
    assert.equal(iHold.arbTrades, 0);
    assert.equal(iMove.arbTrades, 1);
    assert.ok((iMove.arbLossNumeraire as number) > 0 && rMove < rHold, `p change cost ${iMove.arbLossNumeraire}`);
    const s = iMove.priceNumeraire as number;
    const gamma = 1 - (iMove.fee as number);
    const pool = iMove.poolPriceNumeraire as number;
    assert.ok(pool >= gamma * s * (1 - 1e-12) && pool <= (s / gamma) * (1 + 1e-12));
  });

  it('noise flow answers to the parameters: a higher fee loses trades, a higher p (less slippage) gains volume', () => {
    const run = (opts: G3mEnvOptions) => {
      const env = new G3mEnv({ ...opts, noise: { arrivalsPerBlock: 1 } });
      env.reset({ seed: 9 });
      let trades = 0;
      let volume = 0;
      for (let t = 0; t < 200; t++) {
        const info = env.step(0)[4];
        trades += info.noiseTrades as number;
        volume += info.noiseVolumeNumeraire as number;
      }
      return { trades, volume };
    };
    assert.ok(run({ initialFee: 0.01 }).trades < run({ initialFee: 0.001 }).trades);
    assert.ok(run({ initialP: 0.9 }).volume > run({ initialP: 0 }).volume);
  });

  it('terminates when the curve runs out of one asset (p near 1, a 70 % price fall)', () => {
    const env = make(ID, { ...QUIET, pGrid: [0.99], initialP: 0.99, blocksPerStep: 1, price: { kind: 'replay', prices: [100, 30] } });
    env.reset({ seed: 0 });
    const [, , terminated, , info] = env.step(0);
    assert.equal(terminated, true);
    assert.equal(info.termination, 'depleted');
  });

  it('renders an ansi line, rejects invalid actions, step before reset and bad options', () => {
    const env = make(ID, { renderMode: 'ansi' });
    assert.throws(() => env.step(0), ResetNeeded);
    env.reset({ seed: 2 });
    env.step(0);
    assert.match(String(env.render()), /^t=1 price=\d+\.\d{4} pool=\d+\.\d{4} p=0\.00 fee=30\.0bp/);
    for (const bad of [5, -1, 1.5, NaN, '1']) {
      assert.throws(() => env.step(bad), (e: unknown) => e instanceof InvalidActionError && /g3m-v0/.test(e.message));
    }
    const cases: [G3mEnvOptions, RegExp][] = [
      [{ weight: 1 }, /option weight: got 1; allowed: a number in \(0, 1\)/],
      [{ pGrid: [0, 0.5, 0.4] }, /option pGrid\[2\]: got 0\.4/],
      [{ pGrid: [0, 1] }, /option pGrid\[1\]: got 1; allowed: .*\[0, 1\)/],
      [{ initialP: 0.3 }, /option initialP: got 0\.3; allowed: one of pGrid/],
      [{ feeGrid: [0.2] }, /option feeGrid\[0\]: got 0\.2/],
      [{ blocksPerStep: 0 }, /option blocksPerStep: got 0/],
      [{ noise: { arrivalsPerBlock: -1 } }, /option noise\.arrivalsPerBlock: got -1/],
      [{ noise: { size: 3 } as never }, /option noise\.size: got 3; allowed: no such field/],
      [{ pool: 1 } as never, /option pool: got 1; allowed: no such option/],
      [{ actionSpace: 'box' as never }, /option actionSpace: got "box"/],
    ];
    for (const [opts, message] of cases) {
      assert.throws(() => new G3mEnv(opts), (e: unknown) => e instanceof InvalidArgumentError && message.test(e.message), message.source);
    }
    assert.throws(() => new G3mEnv({ price: { kind: 'gbm', volatility: -1 } }), (e: unknown) => e instanceof InvalidArgumentError && /volatility/.test(e.message));
  });
});
