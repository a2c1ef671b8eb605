/**
 * The exact loss-minimising interpolation path, by numerical optimisation: minimise
 * L = Σ_k KL(w_{k+1}‖w_k) over the f − 1 interior points (amm-curves.md §6.4 "numerical optimum").
 * Each interior point is softmax(z) with its last logit pinned to 0 (no gauge freedom), and BFGS
 * with a backtracking line search runs from the SLERP path. L is jointly convex in the points
 * (KL is jointly convex), so the minimum found is the global one.
 */
import { interpolationPath, pathLoss } from './interpolation.js';
import { checkPositiveInteger, checkWeightPair, fail } from './validate.js';

export interface OptimalPathOptions {
  /** Stop when the largest |∂L/∂z| falls below this. Default 1e-9 (the loss is then within ~1e-17 of the minimum). */
  gradientTolerance?: number;
  /** Default 2000. */
  maxIterations?: number;
}

export interface OptimalPath {
  /** f + 1 points, w0 and w1 included. */
  readonly path: number[][];
  /** Σ KL(w_{k+1}‖w_k) along `path`, nats. */
  readonly loss: number;
  readonly iterations: number;
  /** max |∂L/∂z| at the end. */
  readonly gradientNorm: number;
}

/** Loss and gradient with respect to the free logits (f − 1 points × (n − 1) logits). */
function lossAndGradient(z: Float64Array, w0: readonly number[], w1: readonly number[], f: number, grad: Float64Array, pts: Float64Array[]): number {
  const n = w0.length;
  const m = n - 1;
  for (let k = 1; k < f; k++) {
    const p = pts[k]!;
    let mx = 0;
    for (let j = 0; j < m; j++) mx = Math.max(mx, z[(k - 1) * m + j]!);
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp((j < m ? z[(k - 1) * m + j]! : 0) - mx);
      p[j] = e;
      sum += e;
    }
    for (let j = 0; j < n; j++) p[j] = p[j]! / sum;
  }
  let loss = 0;
  for (let k = 0; k < f; k++) {
    const next = pts[k + 1]!;
    const cur = pts[k]!;
    for (let i = 0; i < n; i++) if (next[i]! > 0) loss += next[i]! * Math.log(next[i]! / cur[i]!);
  }
  const g = new Float64Array(n);
  for (let k = 1; k < f; k++) {
    const prev = pts[k - 1]!;
    const cur = pts[k]!;
    const next = pts[k + 1]!;
    let mean = 0;
    for (let i = 0; i < n; i++) {
      // ∂/∂w_{k,i} of KL(w_k‖w_{k−1}) + KL(w_{k+1}‖w_k)
      g[i] = Math.log(cur[i]! / prev[i]!) + 1 - next[i]! / cur[i]!;
      mean += cur[i]! * g[i]!;
    }
    for (let j = 0; j < m; j++) grad[(k - 1) * m + j] = cur[j]! * (g[j]! - mean);
  }
  return loss;
}

/**
 * The minimum-loss path from w0 to w1 in `steps` steps (weights strictly positive), found by BFGS
 * from SLERP. For §6.4's symmetric example and f = 4 the loss is 0.068338802194 nats.
 */
export function optimalInterpolationPath(w0: number[], w1: number[], steps: number, options: OptimalPathOptions = {}): OptimalPath {
  checkWeightPair('optimalInterpolationPath', w0, w1, true);
  const f = checkPositiveInteger('optimalInterpolationPath steps', steps, 256);
  const tol = options.gradientTolerance ?? 1e-9;
  const maxIter = options.maxIterations ?? 2000;
  if (!(tol > 0)) fail('optimalInterpolationPath gradientTolerance', tol, 'a number > 0');
  checkPositiveInteger('optimalInterpolationPath maxIterations', maxIter);
  const start = interpolationPath(w0, w1, f, 'slerp');
  if (f === 1) return { path: start, loss: pathLoss(start), iterations: 0, gradientNorm: 0 };

  const n = w0.length;
  const m = n - 1;
  const d = (f - 1) * m;
  const pts = start.map((w) => Float64Array.from(w));
  const z = new Float64Array(d);
  for (let k = 1; k < f; k++) for (let j = 0; j < m; j++) z[(k - 1) * m + j] = Math.log(start[k]![j]! / start[k]![m]!);

  const g = new Float64Array(d);
  let loss = lossAndGradient(z, w0, w1, f, g, pts);
  // inverse-Hessian approximation, identity to start
  const H = new Float64Array(d * d);
  for (let i = 0; i < d; i++) H[i * d + i] = 1;
  const dir = new Float64Array(d);
  const zNew = new Float64Array(d);
  const gNew = new Float64Array(d);
  const s = new Float64Array(d);
  const y = new Float64Array(d);
  const Hy = new Float64Array(d);
  const maxAbs = (v: Float64Array) => v.reduce((a, x) => Math.max(a, Math.abs(x)), 0);
  let iter = 0;
  for (; iter < maxIter && maxAbs(g) > tol; iter++) {
    let slope = 0;
    for (let i = 0; i < d; i++) {
      let acc = 0;
      for (let j = 0; j < d; j++) acc -= H[i * d + j]! * g[j]!;
      dir[i] = acc;
      slope += acc * g[i]!;
    }
    if (!(slope < 0)) {
      // lost descent (rounding): restart from steepest descent
      H.fill(0);
      for (let i = 0; i < d; i++) {
        H[i * d + i] = 1;
        dir[i] = -g[i]!;
      }
      slope = -g.reduce((a, x) => a + x * x, 0);
    }
    let step = 1;
    let lossNew = Infinity;
    for (let tries = 0; tries < 60; tries++) {
      for (let i = 0; i < d; i++) zNew[i] = z[i]! + step * dir[i]!;
      lossNew = lossAndGradient(zNew, w0, w1, f, gNew, pts);
      if (lossNew <= loss + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(lossNew < loss)) break; // no further progress at float precision
    let sy = 0;
    for (let i = 0; i < d; i++) {
      s[i] = zNew[i]! - z[i]!;
      y[i] = gNew[i]! - g[i]!;
      sy += s[i]! * y[i]!;
    }
    z.set(zNew);
    g.set(gNew);
    loss = lossNew;
    if (sy > 1e-300) {
      // BFGS inverse update: H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ
      const rho = 1 / sy;
      let yHy = 0;
      for (let i = 0; i < d; i++) {
        let acc = 0;
        for (let j = 0; j < d; j++) acc += H[i * d + j]! * y[j]!;
        Hy[i] = acc;
        yHy += y[i]! * acc;
      }
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          H[i * d + j] = H[i * d + j]! - rho * (Hy[i]! * s[j]! + s[i]! * Hy[j]!) + (rho * rho * yHy + rho) * s[i]! * s[j]!;
        }
      }
    }
  }
  lossAndGradient(z, w0, w1, f, g, pts);
  const path = pts.map((p) => Array.from(p));
  path[0] = w0.slice();
  path[f] = w1.slice();
  return { path, loss: pathLoss(path), iterations: iter, gradientNorm: maxAbs(g) };
}
