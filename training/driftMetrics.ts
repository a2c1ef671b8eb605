/**
 * Per-episode figures of the Drift envs (drift-vamm-v0, drift-replay-v0) from their step infos,
 * for offline comparison next to the return: where the fee pool's change came from, and how well
 * the mark tracked the oracle.
 */
import type { Info } from '../env/core/env.js';
import type { EpisodeMetric } from './evaluate.js';

function num(info: Info, key: string): number {
  const v = info[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function sumOf(name: string, key: string): EpisodeMetric {
  return {
    name,
    create() {
      let total = 0;
      return { step: (info) => { total += num(info, key); }, value: () => total };
    },
  };
}

export const DRIFT_METRICS: readonly EpisodeMetric[] = Object.freeze([
  /** Trading fees kept by the protocol, USD. */
  sumOf('feesUsd', 'feesUsd'),
  /** Repeg / update_k costs the protocol paid (negative: it earned), USD. */
  sumOf('adjustmentCostUsd', 'adjustmentCostUsd'),
  /** Funding the protocol received (negative: it paid), USD. */
  sumOf('fundingUsd', 'fundingUsd'),
  {
    /** Root-mean-square of mark/oracle − 1 over the steps, basis points. */
    name: 'trackingErrorBps',
    create() {
      let sq = 0;
      let n = 0;
      return {
        step(info) {
          const mark = num(info, 'markUsd');
          const oracle = num(info, 'oracleUsd');
          if (oracle > 0) {
            sq += (mark / oracle - 1) ** 2;
            n++;
          }
        },
        value: () => (n === 0 ? 0 : 1e4 * Math.sqrt(sq / n)),
      };
    },
  },
  {
    /** Steps whose action the protocol rejected. */
    name: 'rejections',
    create() {
      let n = 0;
      return { step: (info) => { if (typeof info.rejected === 'string') n++; }, value: () => n };
    },
  },
]);

/** The metrics an env's evaluation reports (the Drift ones for drift-* ids, none otherwise). */
export function metricsFor(envId: string): readonly EpisodeMetric[] {
  return envId.startsWith('drift-') ? DRIFT_METRICS : [];
}
