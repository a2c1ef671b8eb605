/**
 * How a vector env resets sub-envs whose episode ended (Gymnasium 1.1 `AutoresetMode`,
 * https://farama.org/Vector-Autoreset-Mode), advertised in `metadata.autoresetMode`.
 *
 * - `next-step` (default): the step that ends an episode returns the terminal obs; the NEXT step
 *   resets that sub-env, ignores its action and returns reward 0, terminated/truncated false.
 * - `same-step`: the sub-env is reset in the step that ends the episode; the terminal obs and info
 *   go to `infos.final_obs` / `infos.final_info` (with `_final_obs` / `_final_info` masks).
 * - `disabled`: nothing is reset automatically; call `reset({ options: { resetMask } })`. Stepping a
 *   finished sub-env throws `ResetNeeded`.
 */
export const AutoresetMode = {
  NEXT_STEP: 'next-step',
  SAME_STEP: 'same-step',
  DISABLED: 'disabled',
} as const;

export type AutoresetMode = (typeof AutoresetMode)[keyof typeof AutoresetMode];

export const AUTORESET_MODES: readonly AutoresetMode[] = ['next-step', 'same-step', 'disabled'];

export function isAutoresetMode(x: unknown): x is AutoresetMode {
  return typeof x === 'string' && (AUTORESET_MODES as readonly string[]).includes(x);
}
