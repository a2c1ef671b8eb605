/**
 * prediction-market-v0's discrete actions: the LP moves its liquidity one level up or down or keeps
 * it, and does the same with its fee. Action 0 holds both (the project's convention: the CLI's
 * `noop` baseline is action 0, here the fixed-parameter baseline); then single moves, then both.
 */
export type Move = -1 | 0 | 1;

export interface DiscreteAction {
  readonly liquidity: Move;
  readonly fee: Move;
}

export const DISCRETE_ACTIONS: readonly DiscreteAction[] = Object.freeze([
  { liquidity: 0, fee: 0 },
  { liquidity: 1, fee: 0 },
  { liquidity: -1, fee: 0 },
  { liquidity: 0, fee: 1 },
  { liquidity: 0, fee: -1 },
  { liquidity: 1, fee: 1 },
  { liquidity: 1, fee: -1 },
  { liquidity: -1, fee: 1 },
  { liquidity: -1, fee: -1 },
].map((a) => Object.freeze(a as DiscreteAction)));

/** The action that keeps liquidity and fee as they are. */
export const HOLD_ACTION = 0;

const WORD: Record<Move, string> = { [-1]: 'down', 0: 'hold', 1: 'up' };

export function actionMeaning(a: DiscreteAction): string {
  return `liquidity ${WORD[a.liquidity]}, fee ${WORD[a.fee]}`;
}

/** Moves `level` by `move`, staying within [0, count − 1]. */
export function stepLevel(level: number, move: Move, count: number): number {
  return Math.min(count - 1, Math.max(0, level + move));
}
