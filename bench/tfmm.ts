/**
 * TFMM / weighted-pool benchmarks (rates, best of 5 rounds of ≥ 300 ms after a warm-up; see
 * measure.ts), 3 tokens throughout:
 * - tfmm.slerp.perSec: the checked `slerp(w0, w1, τ)` (allocates its result);
 * - tfmm.schedule.stepsPerSec: `WeightSchedule.advance` on a 64-step SLERP schedule (the env's
 *   allocation-free path), and tfmm.schedule.amgmStepsPerSec the same with AM-GM bisection;
 * - tfmm.weightUpdateArbitrage.perSec: one weight step plus the optimal fee arbitrage back to the
 *   external prices (`WeightedArbitrageur.run`, 30 bp fee), prices jittered so trades happen;
 * - tfmm.interpolationLoss.perSec: `interpolationLoss(w0, w1, 16, 'slerp')` (path + 16 KLs);
 * - tfmmEnv.stepsPerSec: tfmm-v0 through make() (PassiveEnvChecker, OrderEnforcing, TimeLimit),
 *   default options (24 blocks a step), cycling hold / momentum in 16 blocks / momentum in 128
 *   blocks, resetting at episode end (each reset simulates the 720-block warm-up, included in the
 *   rate); tfmmEnv.blocksPerSec is the same rate times the blocks per step.
 */
import { make, register, registeredSpecs } from '../env/core/index.js';
import { WeightSchedule, WeightedArbitrageur, interpolationLoss, slerp } from '../env/amm/weighted/index.js';
import { TFMM_SPECS } from '../env/tasks/tfmm/specs.js';
import { opsPerSecond, sig3 } from './measure.js';

export function benchTfmm(): Record<string, number> {
  const out: Record<string, number> = {};
  const w0 = [0.5, 0.3, 0.2];
  const w1 = [0.2, 0.3, 0.5];
  const n = 1000;

  out['tfmm.slerp.perSec'] = sig3(opsPerSecond(() => {
    let s = 0;
    for (let i = 0; i < n; i++) s += slerp(w0, w1, (i & 63) / 64)[0]!;
    return s;
  }, n));

  for (const scheme of ['slerp', 'amgm'] as const) {
    const schedule = new WeightSchedule(3, 64);
    const w = new Float64Array(3);
    out[scheme === 'slerp' ? 'tfmm.schedule.stepsPerSec' : 'tfmm.schedule.amgmStepsPerSec'] = sig3(opsPerSecond(() => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        if (!schedule.advance(w)) schedule.startUnchecked(w0, w1, 64, scheme);
        s += w[0]!;
      }
      return s;
    }, n));
  }

  {
    const arb = new WeightedArbitrageur(3);
    const schedule = new WeightSchedule(3, 64);
    const weights = Float64Array.from(w0);
    const balances = Float64Array.of(5e5, 3e5, 2e5);
    const prices = Float64Array.of(1, 1, 1);
    let k = 0;
    out['tfmm.weightUpdateArbitrage.perSec'] = sig3(opsPerSecond(() => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        if (!schedule.advance(weights)) schedule.startUnchecked(weights, (k++ & 1) === 0 ? w1 : w0, 64, 'slerp');
        prices[i % 3] = prices[i % 3]! * (i & 1 ? 1.004 : 0.996);
        s += arb.run(balances, weights, prices, 0.003).profit;
      }
      return s;
    }, n));
  }

  out['tfmm.interpolationLoss.perSec'] = sig3(opsPerSecond(() => interpolationLoss(w0, w1, 16, 'slerp'), 1));

  for (const spec of TFMM_SPECS) if (!registeredSpecs().has(spec.id)) register(spec);
  const env = make('tfmm-v0');
  env.reset({ seed: 0 });
  const steps = 100;
  const cycle = [0, 5, 0, 0, 6, 0, 0, 0];
  const rate = opsPerSecond(() => {
    for (let i = 0; i < steps; i++) {
      const [, , terminated, truncated] = env.step(cycle[i & 7]!);
      if (terminated || truncated) env.reset();
    }
    return 0;
  }, steps, { minMs: 500 });
  out['tfmmEnv.stepsPerSec'] = sig3(rate);
  out['tfmmEnv.blocksPerSec'] = sig3(rate * 24);
  env.close();
  return out;
}
