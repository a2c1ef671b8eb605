import { adjustKCost, adjustPegCost, DriftProtocolError, type Curve, type ProtocolVersion } from '../../env/amm/drift-v1/index.js';
import { UnexpectedCurveRecordError } from '../errors.js';
import type { CurveRecord } from './curveHistory.js';
import { protocolAt } from './protocolAt.js';

export type ProtocolChoice = ProtocolVersion | 'auto';

/** What a curve record did: a repeg moves only the peg; update_k moves sqrt_k (possibly by zero). */
export type AdjustmentKind = 'repeg' | 'k';

export interface RecordCheck {
  readonly recordId: bigint;
  readonly marketIndex: number;
  readonly ts: number;
  readonly kind: AdjustmentKind;
  readonly protocol: ProtocolVersion;
  readonly recorded: bigint;
  /** The recomputed cost, or null when the chosen semantics reject the instruction (see `rejected`). */
  readonly computed: bigint | null;
  /** The protocol error the chosen semantics raise for this adjustment, e.g. a may2022 guard on a jan2022 record. */
  readonly rejected: string | null;
  /** For k changes: recorded and recomputed after-reserves; null for repegs (reserves do not move). */
  readonly reserves: null | {
    readonly recorded: readonly [base: bigint, quote: bigint];
    readonly computed: readonly [base: bigint, quote: bigint];
  };
  readonly exact: boolean;
}

function curveBefore(r: CurveRecord): Curve {
  return {
    baseAssetReserve: r.baseAssetReserveBefore,
    quoteAssetReserve: r.quoteAssetReserveBefore,
    sqrtK: r.sqrtKBefore,
    pegMultiplier: r.pegMultiplierBefore,
  };
}

/** The protocol admin instruction behind a record. A record moving both peg and k was not made by v1's program. */
export function adjustmentKind(r: CurveRecord): AdjustmentKind {
  return r.sqrtKAfter === r.sqrtKBefore && r.pegMultiplierAfter !== r.pegMultiplierBefore ? 'repeg' : 'k';
}

/**
 * Recompute one record's adjustment cost (and, for update_k, its after-reserves) from its before
 * fields and its net position, as the program did (drift-v1-math.md §2.5–2.7).
 */
export function checkRecord(r: CurveRecord, choice: ProtocolChoice): RecordCheck {
  const protocol = choice === 'auto' ? protocolAt(r.ts) : choice;
  try {
    return recompute(r, protocol);
  } catch (err) {
    if (!(err instanceof DriftProtocolError)) throw err;
    return {
      recordId: r.recordId, marketIndex: r.marketIndex, ts: r.ts, kind: adjustmentKind(r), protocol, recorded: r.adjustmentCost,
      computed: null, rejected: err.message, reserves: null, exact: false,
    };
  }
}

function recompute(r: CurveRecord, protocol: ProtocolVersion): RecordCheck {
  const kind = adjustmentKind(r);
  const base = {
    recordId: r.recordId, marketIndex: r.marketIndex, ts: r.ts, kind, protocol, recorded: r.adjustmentCost, rejected: null,
  };
  if (kind === 'repeg') {
    const computed = adjustPegCost(curveBefore(r), r.baseAssetAmount, r.pegMultiplierAfter, protocol);
    return { ...base, computed, reserves: null, exact: computed === r.adjustmentCost };
  }
  if (r.pegMultiplierAfter !== r.pegMultiplierBefore) {
    throw new UnexpectedCurveRecordError(
      `record ${r.recordId} (market ${r.marketIndex}) changes both peg (${r.pegMultiplierBefore} → ${r.pegMultiplierAfter}) and sqrt_k `
      + `(${r.sqrtKBefore} → ${r.sqrtKAfter}); v1's repeg_amm_curve moves only the peg and update_k only sqrt_k`,
    );
  }
  const { cost, curve } = adjustKCost(curveBefore(r), r.baseAssetAmount, r.sqrtKAfter, protocol);
  const reserves = {
    recorded: [r.baseAssetReserveAfter, r.quoteAssetReserveAfter] as const,
    computed: [curve.baseAssetReserve, curve.quoteAssetReserve] as const,
  };
  const exact = cost === r.adjustmentCost
    && reserves.recorded[0] === reserves.computed[0] && reserves.recorded[1] === reserves.computed[1];
  return { ...base, computed: cost, reserves, exact };
}

export interface VerifyCostsReport {
  readonly records: number;
  readonly exact: number;
  /** Largest |recorded − computed| cost over the records not rejected, in quote units (1e-6 USDC), as a decimal string. */
  readonly maxAbsDiff: string;
  readonly byProtocol: Record<string, { records: number; exact: number }>;
  readonly checks: RecordCheck[];
}

export function verifyCosts(records: readonly CurveRecord[], choice: ProtocolChoice): VerifyCostsReport {
  const checks = records.map((r) => checkRecord(r, choice));
  let maxAbsDiff = 0n;
  const byProtocol: Record<string, { records: number; exact: number }> = {};
  for (const c of checks) {
    if (c.computed !== null) {
      const diff = c.recorded > c.computed ? c.recorded - c.computed : c.computed - c.recorded;
      if (diff > maxAbsDiff) maxAbsDiff = diff;
    }
    const slot = (byProtocol[c.protocol] ??= { records: 0, exact: 0 });
    slot.records++;
    if (c.exact) slot.exact++;
  }
  return {
    records: checks.length,
    exact: checks.filter((c) => c.exact).length,
    maxAbsDiff: maxAbsDiff.toString(),
    byProtocol,
    checks,
  };
}
