/**
 * Repeg: cost (protocol-v1 `math/repeg.rs` `adjust_peg_cost`) and the guarded admin instruction
 * (`controller/repeg.rs` `repeg`, called by `lib.rs` `repeg_amm_curve`). drift-v1-math.md §2.6.
 */
import { DEFAULT_ORACLE_GUARD_RAILS } from './constants.js';
import { subU } from './bigmath.js';
import {
  CastingFailure,
  InvalidRepegDirection,
  InvalidRepegProfitability,
  InvalidRepegRedundant,
  MathError,
} from './errors.js';
import { feePoolFloor } from './fees.js';
import { isOracleValid } from './oracle.js';
import { curveChangeCost } from './position.js';
import { markPrice, terminalPrice } from './price.js';
import type { ProtocolSemantics, ProtocolVersion } from './protocol.js';
import { resolveProtocol } from './protocol.js';
import type { Curve, Market, OracleGuardRails, OracleReading } from './state.js';

/**
 * Cost of changing only the peg, P → newPegRaw, with net user position d (QUOTE_PRECISION).
 * Positive = the protocol pays. With dq = |y_t − y|:
 *   d > 0: floor(dq·P'/1e10) − floor(dq·P/1e10)
 *   d < 0: floor(dq·P/1e10) − floor(dq·P'/1e10), −1 under jan2022 rounding
 *   d = 0: 0
 * ≈ (y − y_t)(P' − P)/1e10 within ±1 (plus the jan −1 on the short side). dec2021 values each side
 * through QUOTE_PRECISION instead, floor((floor(dq/1e7) + [d < 0])·P/1e3), which is off the linear
 * form by up to P/1e3 units.
 */
export function adjustPegCost(
  curve: Curve,
  netBaseAssetAmount: bigint,
  newPegRaw: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): bigint {
  if (newPegRaw < 0n) throw new MathError('adjustPegCost', `peg ${newPegRaw} is not a u128`);
  return curveChangeCost(curve, { ...curve, pegMultiplier: newPegRaw }, netBaseAssetAmount, protocol);
}

export interface AdjustmentResult {
  /** The market after the adjustment (new curve, updated tfmd). */
  readonly market: Market;
  /** QUOTE_PRECISION; positive = the protocol paid, negative = it earned. */
  readonly cost: bigint;
}

/**
 * `repeg_amm_curve`, with every guard in program order:
 *  1. P' ≠ P, else InvalidRepegRedundant ('redundant');
 *  2. cost via adjust_peg_cost;
 *  3. if the oracle is valid (§2.11), with O ± c its confidence band:
 *     O > T_after: T_after ≥ T_before ('direction'), T_after ≤ O − c ('terminalBand'), mark' ≤ O + c ('markBand');
 *     O < T_after: T_after ≤ T_before ('direction'), T_after ≥ O + c ('terminalBand'), mark' ≥ O − c ('markBand');
 *     direction failures are InvalidRepegDirection, band failures InvalidRepegProfitability;
 *  4. cost > 0: tfmd ← max(0, tfmd − cost), then tfmd ≥ floor(total_fee/2) else
 *     InvalidRepegProfitability ('feePoolTranche'); cost ≤ 0: tfmd += |cost|.
 * `oracle` null means no usable oracle read: the band checks are skipped, as for an invalid oracle.
 * The exchange-paused and oracle-account checks of the instruction are the caller's concern.
 */
export function repeg(
  market: Market,
  newPegRaw: bigint,
  oracle: OracleReading | null,
  protocol: ProtocolVersion | ProtocolSemantics,
  guardRails: OracleGuardRails = DEFAULT_ORACLE_GUARD_RAILS,
): AdjustmentResult {
  const sem = resolveProtocol(protocol);
  const curve = market.curve;
  const d = market.baseAssetAmount;
  if (newPegRaw === curve.pegMultiplier) {
    throw new InvalidRepegRedundant('redundant', `new peg ${newPegRaw} equals the current peg`);
  }
  const terminalBefore = terminalPrice(curve, d, sem);
  const cost = adjustPegCost(curve, d, newPegRaw, sem);
  const newCurve: Curve = { ...curve, pegMultiplier: newPegRaw };

  if (oracle !== null && isOracleValid(market, oracle, sem, guardRails.validity)) {
    const terminalAfter = terminalPrice(newCurve, d, sem);
    const markAfter = markPrice(newCurve);
    const o = oracle.priceRaw;
    if (o < 0n) throw new CastingFailure('repeg.oracle', `cast_to_u128 of oracle price ${o}`);
    const c = oracle.confidenceRaw;
    const bandTop = o + c;
    const bandBottom = subU(o, c, 'repeg.oracleConfBandBottom');
    if (o > terminalAfter) {
      if (terminalAfter < terminalBefore) {
        throw new InvalidRepegDirection(
          'direction',
          `oracle ${o} is above terminal price, but terminal would fall ${terminalBefore} → ${terminalAfter}`,
        );
      }
      if (bandBottom < terminalAfter) {
        throw new InvalidRepegProfitability(
          'terminalBand',
          `terminal price ${terminalAfter} would pass the oracle band bottom ${bandBottom} (oracle ${o}, conf ${c})`,
        );
      }
      if (markAfter > bandTop) {
        throw new InvalidRepegProfitability(
          'markBand',
          `mark price ${markAfter} would exceed the oracle band top ${bandTop} (oracle ${o}, conf ${c})`,
        );
      }
    }
    if (o < terminalAfter) {
      if (terminalAfter > terminalBefore) {
        throw new InvalidRepegDirection(
          'direction',
          `oracle ${o} is below terminal price, but terminal would rise ${terminalBefore} → ${terminalAfter}`,
        );
      }
      if (bandTop > terminalAfter) {
        throw new InvalidRepegProfitability(
          'terminalBand',
          `terminal price ${terminalAfter} would pass the oracle band top ${bandTop} (oracle ${o}, conf ${c})`,
        );
      }
      if (markAfter < bandBottom) {
        throw new InvalidRepegProfitability(
          'markBand',
          `mark price ${markAfter} would fall below the oracle band bottom ${bandBottom} (oracle ${o}, conf ${c})`,
        );
      }
    }
  }

  let tfmd = market.totalFeeMinusDistributions;
  if (cost > 0n) {
    // checked_sub(..).or(Some(0)): saturating
    tfmd = tfmd > cost ? tfmd - cost : 0n;
    const floor = feePoolFloor(market.totalFee);
    if (tfmd < floor) {
      throw new InvalidRepegProfitability(
        'feePoolTranche',
        `cost ${cost} leaves tfmd ${tfmd} below floor(total_fee/2) = ${floor} (tfmd before ${market.totalFeeMinusDistributions})`,
      );
    }
  } else {
    tfmd += -cost;
  }
  return { market: { ...market, curve: newCurve, totalFeeMinusDistributions: tfmd }, cost };
}
