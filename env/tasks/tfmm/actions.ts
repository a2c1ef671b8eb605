/**
 * tfmm-v0's actions: the discrete menu (hold, or a target × a step count) and the target weights
 * each target kind asks for, given the momentum signal. Targets respect the weight floor.
 */
import { guardRailInPlace } from '../../amm/weighted/index.js';
import type { TargetKind } from './options.js';

export type TfmmDiscreteAction =
  | { readonly kind: 'hold' }
  | { readonly kind: 'target'; readonly target: TargetKind; readonly steps: number };

/** 0: hold; then every target × every step count, targets outer. */
export function tfmmDiscreteActions(targets: readonly TargetKind[], steps: readonly number[]): TfmmDiscreteAction[] {
  const out: TfmmDiscreteAction[] = [{ kind: 'hold' }];
  for (const target of targets) for (const f of steps) out.push({ kind: 'target', target, steps: f });
  return out;
}

export function tfmmActionMeaning(a: TfmmDiscreteAction): string {
  return a.kind === 'hold' ? 'hold' : `${a.target} in ${a.steps} step${a.steps === 1 ? '' : 's'}`;
}

/**
 * Target weights into `out`:
 * - initial: the weights at reset; equal: 1/n each;
 * - momentum / anti-momentum: w_init,i·exp(±tilt·(z_i − mean z)), normalised, with z the momentum
 *   signal (standardised exponential average of log returns);
 * then floored at `minWeight` (the others rescaled, QuantAMM's absolute guard rail).
 */
export function targetWeights(
  kind: TargetKind, initial: ArrayLike<number>, z: ArrayLike<number>, tilt: number, minWeight: number, out: Float64Array,
): Float64Array {
  const n = out.length;
  switch (kind) {
    case 'initial':
      for (let i = 0; i < n; i++) out[i] = initial[i]!;
      return out;
    case 'equal':
      out.fill(1 / n);
      return out;
    case 'momentum':
    case 'anti-momentum': {
      const sign = kind === 'momentum' ? 1 : -1;
      let mean = 0;
      for (let i = 0; i < n; i++) mean += z[i]!;
      mean /= n;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        out[i] = initial[i]! * Math.exp(sign * tilt * (z[i]! - mean));
        sum += out[i]!;
      }
      for (let i = 0; i < n; i++) out[i] = out[i]! / sum;
      guardRailInPlace(out, minWeight);
      return out;
    }
  }
}

/**
 * The continuous action's target: w_init,i·exp(2·a_i) normalised and floored (a = 0 keeps the
 * initial weights), and its step count 2^round(log2(maxSteps)·(a_n + 1)/2) ∈ [1, maxSteps].
 */
export function continuousTarget(a: ArrayLike<number>, initial: ArrayLike<number>, minWeight: number, maxSteps: number, out: Float64Array): number {
  const n = out.length;
  const steps = 2 ** Math.round(Math.log2(maxSteps) * ((a[n]! + 1) / 2));
  let uniform = true;
  for (let i = 1; i < n; i++) if (a[i] !== a[0]) uniform = false;
  if (uniform) {
    // equal logits mean the initial weights; copy them rather than renormalise (no ulp drift)
    for (let i = 0; i < n; i++) out[i] = initial[i]!;
    return steps;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    out[i] = initial[i]! * Math.exp(2 * a[i]!);
    sum += out[i]!;
  }
  for (let i = 0; i < n; i++) out[i] = out[i]! / sum;
  guardRailInPlace(out, minWeight);
  return steps;
}
