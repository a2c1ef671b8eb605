/**
 * Geometry of the weight simplex (amm-curves.md §6.2): the KL divergence that prices one weight
 * step, the Hellinger coordinates η = √w in which the Fisher–Rao geodesic is a great circle, the
 * Bhattacharyya angle θ between two weight vectors, and QuantAMM-style guard rails.
 */
import { checkFinite, checkWeightPair, checkWeights, fail, type NumberVector } from './validate.js';

/**
 * KL(p‖q) = Σ p_i ln(p_i/q_i), in nats. Terms with p_i = 0 count 0; q_i = 0 < p_i gives +∞.
 * `log1p` keeps the small divergences of neighbouring interpolation steps accurate.
 */
export function klDivergence(p: number[], q: number[]): number {
  checkWeightPair('klDivergence', p, q, false);
  return klUnchecked(p, q);
}

/** KL(p‖q) without input checks, for the hot loops of callers that validated once. */
export function klUnchecked(p: NumberVector, q: NumberVector): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    if (pi === 0) continue;
    const qi = q[i]!;
    if (qi === 0) return Infinity;
    sum += pi * Math.log1p((pi - qi) / qi);
  }
  // KL ≥ 0 (Gibbs); for vectors equal to within rounding the sum can come out at −1e-17
  return sum > 0 ? sum : 0;
}

/** Σ √(p_i q_i): the Bhattacharyya coefficient, the cosine of the angle between √p and √q. */
export function bhattacharyyaCoefficient(p: NumberVector, q: NumberVector): number {
  let dot = 0;
  for (let i = 0; i < p.length; i++) dot += Math.sqrt(p[i]! * q[i]!);
  // rounding can push the cosine of a tiny angle just above 1
  return dot > 1 ? 1 : dot;
}

/**
 * θ = arccos(Σ √(w0_i w1_i)), radians: the great-circle distance between √w0 and √w1 on the unit
 * sphere (half the Fisher–Rao distance). amm-curves.md §6.4: 0.36964535512096 for
 * (0.5, 0.3, 0.2) → (0.2, 0.3, 0.5).
 */
export function bhattacharyyaAngle(w0: number[], w1: number[]): number {
  checkWeightPair('bhattacharyyaAngle', w0, w1, false);
  return Math.acos(bhattacharyyaCoefficient(w0, w1));
}

/** w / Σw: a copy scaled to sum 1 (entries must be finite and ≥ 0 with a positive sum). */
export function normalise(v: number[]): number[] {
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) fail(`normalise v[${i}]`, x, 'a finite number >= 0');
    sum += x;
  }
  if (!(sum > 0)) fail('normalise v', v, 'entries with a positive sum');
  return v.map((x) => x / sum);
}

/**
 * Clamps weights to at least `minWeight` and rescales the others so the sum stays 1
 * (QuantAMM's `absoluteWeightGuardRail`). Rescaling can push another weight under the floor, so it
 * repeats until none is (at most n rounds). Needs n·minWeight ≤ 1.
 */
export function applyWeightGuardRail(w: number[], minWeight: number): number[] {
  checkWeights('applyWeightGuardRail w', w, false);
  checkFinite('applyWeightGuardRail minWeight', minWeight, { min: 0, max: 1 / w.length });
  const out = w.slice();
  guardRailInPlace(out, minWeight);
  return out;
}

/** `applyWeightGuardRail` in place, unchecked (env hot path). */
export function guardRailInPlace(w: { length: number; [i: number]: number }, minWeight: number): void {
  const n = w.length;
  for (let round = 0; round < n; round++) {
    let pinned = 0;
    let freeSum = 0;
    for (let i = 0; i < n; i++) {
      if (w[i]! <= minWeight) pinned++;
      else freeSum += w[i]!;
    }
    const scale = (1 - pinned * minWeight) / freeSum;
    let again = false;
    for (let i = 0; i < n; i++) {
      if (w[i]! <= minWeight) w[i] = minWeight;
      else {
        w[i] = w[i]! * scale;
        if (w[i]! < minWeight) again = true;
      }
    }
    if (!again) return;
  }
}

