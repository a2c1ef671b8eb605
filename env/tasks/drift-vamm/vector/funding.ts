/**
 * Hourly funding of one sub-env on the float twin's `updateFundingRate` (through the scratch
 * market), caught as the scalar env catches it: `InvalidFundingProfitability` blocks the update
 * (jan2022 below the fee-pool floor), anything else propagates.
 */
import { InvalidFundingProfitability } from '../../../amm/drift-v1/errors.js';
import { resolveFloatProtocol, updateFundingRate, type FloatMarket, type FloatOracle, type FloatSemantics } from '../../../amm/drift-v1/float/index.js';
import type { DriftVammColumns } from './columns.js';
import { loadFunding, storeFunding } from './scratchMarket.js';

export class FundingUpdate {
  private readonly fs: FloatSemantics = resolveFloatProtocol('jan2022');
  private readonly oracle: FloatOracle = {
    priceRaw: 0, confidenceRaw: 0, delaySlots: 0, twapRaw: NaN, twapConfidenceRaw: 0, hasSufficientDataPoints: true,
  };

  /** The refusal's message of the last blocked update (the scalar env's `info.fundingBlocked`). */
  lastBlockedMessage = '';

  constructor(private readonly m: FloatMarket, private readonly oracleConfidenceBps: number) {}

  /** Runs `update_funding_rate` at `nowTs` on sub-env i; returns false when the floor blocked it. */
  apply(cols: DriftVammColumns, i: number, nowTs: number): boolean {
    const m = this.m;
    loadFunding(m, cols, i);
    const o = this.oracle;
    o.priceRaw = cols.oraclePriceRaw[i]!;
    o.confidenceRaw = (o.priceRaw * this.oracleConfidenceBps) / 1e4;
    o.twapConfidenceRaw = o.confidenceRaw;
    try {
      updateFundingRate(m, o, nowTs, this.fs);
    } catch (err) {
      if (!(err instanceof InvalidFundingProfitability)) throw err;
      this.lastBlockedMessage = err.message;
      return false;
    }
    storeFunding(m, cols, i);
    return true;
  }
}
