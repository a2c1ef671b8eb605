/**
 * stableswap-v0's discrete admin actions. Each maps onto a contract call: `ramp_A` (A up/down, over
 * `rampSec`), `commit_new_fee` (fee up/down, applied ADMIN_ACTIONS_DELAY later) or `stop_ramp_A`.
 */
import type { ResolvedStableSwapOptions } from './options.js';

export type StableSwapAction =
  | { readonly kind: 'hold' }
  | { readonly kind: 'a-up' }
  | { readonly kind: 'a-down' }
  | { readonly kind: 'fee-up' }
  | { readonly kind: 'fee-down' }
  | { readonly kind: 'stop-ramp' };

/** The Discrete(6) menu, in index order. */
export const DISCRETE_ACTIONS: readonly StableSwapAction[] = Object.freeze([
  { kind: 'hold' }, { kind: 'a-up' }, { kind: 'a-down' }, { kind: 'fee-up' }, { kind: 'fee-down' }, { kind: 'stop-ramp' },
]);

export function actionMeaning(a: StableSwapAction, o: ResolvedStableSwapOptions): string {
  const days = o.rampSec / 86_400;
  switch (a.kind) {
    case 'hold': return 'hold';
    case 'a-up': return `ramp A ×${o.aStep} over ${days} d (≤ ${o.aMax})`;
    case 'a-down': return `ramp A ÷${o.aStep} over ${days} d (≥ ${o.aMin})`;
    case 'fee-up': return `commit fee ×${o.feeStep} (≤ ${o.feeMaxBps} bp; applies in 3 d)`;
    case 'fee-down': return `commit fee ÷${o.feeStep} (≥ ${o.feeMinBps} bp; applies in 3 d)`;
    case 'stop-ramp': return 'stop ramp';
  }
}
