/**
 * drift-vamm-v0's admin actions: the discrete menu, the targets each one asks for, and Drift's
 * formulaic rule (drift-v1-math.md §3, "Baseline policy for our environment"), all on the float twin.
 */
import {
  budgetedKScale, budgetedPegDelta, repegCostLinear, type FloatCurve, type FloatMarket,
} from '../../amm/drift-v1/float/index.js';

export type DiscreteAction =
  | { readonly kind: 'hold' }
  | { readonly kind: 'repeg-oracle' }
  | { readonly kind: 'repeg-half' }
  | { readonly kind: 'k-up'; readonly delta: number }
  | { readonly kind: 'k-down'; readonly delta: number }
  | { readonly kind: 'formulaic' }
  /** Replays only: the admin's recorded repeg / update_k of this step (drift-replay-v0). */
  | { readonly kind: 'historical' };

/** hold, repeg to the oracle peg, repeg half-way, k up by each δ, k down by each δ, formulaic (then historical, in replays). */
export function discreteActions(kDeltas: readonly number[], historical = false): DiscreteAction[] {
  return [
    { kind: 'hold' },
    { kind: 'repeg-oracle' },
    { kind: 'repeg-half' },
    ...kDeltas.map((delta) => ({ kind: 'k-up' as const, delta })),
    ...kDeltas.map((delta) => ({ kind: 'k-down' as const, delta })),
    { kind: 'formulaic' },
    ...(historical ? [{ kind: 'historical' as const }] : []),
  ];
}

export function actionMeaning(a: DiscreteAction): string {
  switch (a.kind) {
    case 'k-up': return `k up ${a.delta * 100}%`;
    case 'k-down': return `k down ${a.delta * 100}%`;
    default: return a.kind;
  }
}

/** The peg (raw, 1e3) that puts the mark on the oracle: oracle·x/(y·1e7), rounded, at least 1. */
export function oraclePegRaw(curve: FloatCurve, oraclePriceRaw: number): number {
  return Math.max(1, Math.round((oraclePriceRaw * curve.baseAssetReserve) / (curve.quoteAssetReserve * 1e7)));
}

/** floor(total_fee/2): the fee pool's floor for repeg and funding (the 50 % tranche). */
export function feePoolFloorRaw(m: FloatMarket): number {
  return Math.floor(m.totalFee / 2);
}

/**
 * Drift's budgeted repeg toward the oracle peg P*: move all the way when the move earns, or when
 * the budget max(0, tfmd − floor(total_fee/2)) covers its (linear) cost; otherwise move as far as
 * the budget pays for, truncated toward zero. Returns the peg to set (P itself: no repeg).
 */
export function budgetedPegRaw(m: FloatMarket, targetPegRaw: number): number {
  const c = m.curve;
  const d = m.baseAssetAmount;
  if (targetPegRaw === c.pegMultiplier) return c.pegMultiplier;
  const cost = repegCostLinear(c, d, targetPegRaw);
  const budget = Math.max(0, m.totalFeeMinusDistributions - feePoolFloorRaw(m));
  if (cost <= 0 || budget >= cost) return targetPegRaw;
  const step = Math.trunc(Math.abs(budgetedPegDelta(c, d, budget)));
  return c.pegMultiplier + Math.sign(targetPegRaw - c.pegMultiplier) * Math.min(step, Math.abs(targetPegRaw - c.pegMultiplier));
}

/** Largest sqrt_k move per funding period of the formulaic k rule (v2's MAX_K_BPS_INCREASE: 10 bp). */
export const FORMULAIC_K_MAX_MOVE = 0.001;

/**
 * The funding-imbalance k rule: half of the funding the protocol earned since the last k move is
 * spent raising k; half of what it paid is recouped by lowering k; the scale is clamped to ±0.1 %.
 * Returns the new sqrt_k (the old one when there is nothing to do).
 */
export function formulaicSqrtK(m: FloatMarket, fundingPnlRaw: number): number {
  const d = m.baseAssetAmount;
  const s = m.curve.sqrtK;
  if (d === 0 || fundingPnlRaw === 0) return s;
  const p = budgetedKScale(m.curve, d, fundingPnlRaw / 2);
  if (!Number.isFinite(p)) return s;
  const clamped = Math.min(1 + FORMULAIC_K_MAX_MOVE, Math.max(1 - FORMULAIC_K_MAX_MOVE, p));
  return Math.round(s * clamped);
}
