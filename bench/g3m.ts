/**
 * G3M benchmarks (rates, best of 5 rounds of ≥ 300 ms after a warm-up; see measure.ts):
 * - g3m.kernel.swapsPerSec.p0.5 / g3m.kernel.swapsPerSec.geometric: `outGivenInKernel` (the
 *   unchecked float64 swap the env uses) on a (1000, 1000) equal-weight pool, p = 0.5 and p = 0;
 * - g3m.checked.swapsPerSec.p0.5: the validated `outGivenIn` (argument checks included);
 * - g3m.gf3m.swapsPerSec.shiftedLog: `gfOutGivenIn` with f = ln(x + c);
 * - g3mEnv.stepsPerSec: g3m-v0 through make() (PassiveEnvChecker, OrderEnforcing, TimeLimit),
 *   default options (25 blocks a step), action hold, resetting at episode end; g3mEnv.blocksPerSec
 *   is the same rate times the blocks per step.
 */
import { make, register, registeredSpecs } from '../env/core/index.js';
import { gfOutGivenIn, outGivenIn, outGivenInKernel, shiftedLogGenerator } from '../env/amm/g3m/index.js';
import { G3M_SPECS } from '../env/tasks/g3m/specs.js';
import { opsPerSecond, sig3 } from './measure.js';

export function benchG3m(): Record<string, number> {
  const out: Record<string, number> = {};
  const n = 1000;
  for (const [name, p] of [['p0.5', 0.5], ['geometric', 0]] as const) {
    out[`g3m.kernel.swapsPerSec.${name}`] = sig3(opsPerSecond(() => {
      let s = 0;
      for (let i = 0; i < n; i++) s += outGivenInKernel(1000, 1000, 0.5, 0.5, p, 0.997, 1 + (i & 63));
      return s;
    }, n));
  }
  const pool = { reserves: [1000, 1000], weights: [0.5, 0.5], p: 0.5, fee: 0.003 };
  out['g3m.checked.swapsPerSec.p0.5'] = sig3(opsPerSecond(() => {
    let s = 0;
    for (let i = 0; i < n; i++) s += outGivenIn(pool, 0, 1, 1 + (i & 63));
    return s;
  }, n));
  const gf = { reserves: [1000, 1000], weights: [0.5, 0.5], generator: shiftedLogGenerator(1000), fee: 0.003 };
  out['g3m.gf3m.swapsPerSec.shiftedLog'] = sig3(opsPerSecond(() => {
    let s = 0;
    for (let i = 0; i < n; i++) s += gfOutGivenIn(gf, 0, 1, 1 + (i & 63));
    return s;
  }, n));

  for (const spec of G3M_SPECS) if (!registeredSpecs().has(spec.id)) register(spec);
  const env = make('g3m-v0');
  env.reset({ seed: 0 });
  const steps = 200;
  const rate = opsPerSecond(() => {
    for (let i = 0; i < steps; i++) {
      const [, , terminated, truncated] = env.step(0);
      if (terminated || truncated) env.reset();
    }
    return 0;
  }, steps, { minMs: 500 });
  out['g3mEnv.stepsPerSec'] = sig3(rate);
  out['g3mEnv.blocksPerSec'] = sig3(rate * 25);
  env.close();
  return out;
}
