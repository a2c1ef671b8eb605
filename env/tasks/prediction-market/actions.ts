/**
 * prediction-market-v0's discrete actions: the LP moves its liquidity one level down, keeps it or
 * moves it one level up, and does the same with its fee: 3 × 3 = 9 actions, index 3·liquidity +
 * fee with 0 = down, 1 = hold, 2 = up. Action 4 holds both (the fixed-parameter baseline).
 */
export type Move = -1 | 0 | 1;

export interface DiscreteAction {
  readonly liquidity: Move;
  readonly fee: Move;
}

const MOVES: readonly Move[] = [-1, 0, 1];

export const DISCRETE_ACTIONS: readonly DiscreteAction[] = Object.freeze(
  MOVES.flatMap((liquidity) => MOVES.map((fee) => Object.freeze({ liquidity, fee }))),
);

/** The action that keeps liquidity and fee as they are. */
export const HOLD_ACTION = 4;

const WORD: Record<Move, string> = { [-1]: 'down', 0: 'hold', 1: 'up' };

export function actionMeaning(a: DiscreteAction): string {
  return `liquidity ${WORD[a.liquidity]}, fee ${WORD[a.fee]}`;
}

/** Moves `level` by `move`, staying within [0, count − 1]. */
export function stepLevel(level: number, move: Move, count: number): number {
  return Math.min(count - 1, Math.max(0, level + move));
}
