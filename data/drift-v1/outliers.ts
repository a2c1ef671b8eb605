/**
 * Outlier flags for the Drift v1 history: records that are real but not ordinary (an admin fee-pool
 * top-up, a launch-day k cut, a protocol gain), so calibration and labels can leave them out on purpose.
 * Nothing here drops a record; each rule returns the records it flags with a reason naming the rule,
 * the value and the threshold. Thresholds are documented in OUTLIER_RULES and can be overridden.
 */
import { markRawToUsd, quoteRawToUsd } from '../../env/amm/drift-v1/units.js';
import type { CurveRecord } from './curveHistory.js';
import type { FundingRecord } from './fundingHistory.js';
import type { TradeRecord } from './tradeSnapshot.js';

export interface OutlierFlag {
  readonly recordId: bigint;
  readonly marketIndex: number;
  /** One entry per rule that fired: `<rule>: <what was seen> (<threshold>)`. */
  readonly reasons: string[];
}

export interface OutlierThresholds {
  /** A single update_k that moves sqrt_k by more than this factor (either way) is flagged. */
  readonly sqrtKChangeFactor: number;
  /** A single repeg that moves the peg by more than this fraction is flagged. */
  readonly pegChangeFraction: number;
  /** An hourly funding record whose |mark_twap / oracle_twap − 1| exceeds this is flagged. */
  readonly twapPremiumFraction: number;
  /** A trade whose |mark_before / oracle − 1| exceeds this is flagged. */
  readonly tradeMarkOracleGapFraction: number;
}

/**
 * Defaults, chosen from the bundled history (2021-11 → 2022-01): ordinary k updates move sqrt_k by at
 * most 1.5×, while the LUNA launch episode (records 96–100) cut it 9.9× and doubled it three times;
 * repegs move the peg by at most 0.3 %; 99.9 % of funding TWAP premia are within 2.2 % and only the
 * LUNA launch hours exceed 5 %; trades sit within 0.6 % of the oracle.
 */
export const DEFAULT_OUTLIER_THRESHOLDS: OutlierThresholds = Object.freeze({
  sqrtKChangeFactor: 1.75,
  pegChangeFraction: 0.1,
  twapPremiumFraction: 0.05,
  tradeMarkOracleGapFraction: 0.05,
});

/** Every rule by id, with what it checks (the text inspect and the README show). */
export const OUTLIER_RULES = {
  'fee-pool-above-total-fee': 'curve: total_fee_minus_distributions > total_fee, i.e. the fee pool holds money that did not come from fees (the LUNA 2021-12-07 top-up and the records after it until fees catch up)',
  'negative-adjustment-cost': 'curve: adjustment_cost < 0, the protocol gained from the repeg/k change instead of paying',
  'large-k-change': 'curve: sqrt_k_after / sqrt_k_before outside [1/f, f], f = sqrtKChangeFactor (default 1.75)',
  'large-repeg': 'curve: |peg_after / peg_before − 1| > pegChangeFraction (default 10 %)',
  'extreme-twap-premium': 'funding: |mark_price_twap / oracle_price_twap − 1| > twapPremiumFraction (default 5 %)',
  'funding-rate-not-from-twaps': 'funding: funding_rate ≠ (mark_twap − oracle_twap)·1e4/24 truncated, the v1 formula',
  'non-positive-twap': 'funding: a TWAP ≤ 0',
  'execution-price-outside-marks': 'trade: average price quote/base outside [mark before, mark after], beyond one quote unit of rounding',
  'direction-against-mark': 'trade: a long that lowered the mark or a short that raised it',
  'fee-not-10bps': 'trade: fee + referee and token discounts ≠ floor(quote·10/10 000), the v1 default taker fee',
  'mark-chain-break': 'trade: mark_price_before ≠ the previous trade\'s mark_price_after in the same market (a curve change or a missing trade in between)',
  'mark-oracle-gap': 'trade: |mark_before / oracle − 1| > tradeMarkOracleGapFraction (default 5 %)',
} as const;

export type OutlierRule = keyof typeof OUTLIER_RULES;

function collect<R extends { recordId: bigint; marketIndex: number }>(records: readonly R[], check: (r: R, i: number) => string[]): OutlierFlag[] {
  const flags: OutlierFlag[] = [];
  for (const [i, r] of records.entries()) {
    const reasons = check(r, i);
    if (reasons.length > 0) flags.push({ recordId: r.recordId, marketIndex: r.marketIndex, reasons });
  }
  return flags;
}

const ratio = (after: bigint, before: bigint): number => Number(after) / Number(before);
const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;
const usd = (quoteRaw: bigint): string => `${quoteRawToUsd(quoteRaw).toFixed(2)} USD`;

export function flagCurveOutliers(records: readonly CurveRecord[], thresholds: OutlierThresholds = DEFAULT_OUTLIER_THRESHOLDS): OutlierFlag[] {
  const f = thresholds.sqrtKChangeFactor;
  return collect(records, (r) => {
    const reasons: string[] = [];
    if (r.totalFeeMinusDistributions > r.totalFee) {
      reasons.push(`fee-pool-above-total-fee: total_fee_minus_distributions ${usd(r.totalFeeMinusDistributions)} > total_fee ${usd(r.totalFee)}`);
    }
    if (r.adjustmentCost < 0n) reasons.push(`negative-adjustment-cost: adjustment_cost ${usd(r.adjustmentCost)} (protocol gain)`);
    const k = ratio(r.sqrtKAfter, r.sqrtKBefore);
    if (r.sqrtKBefore > 0n && (k > f || k < 1 / f)) reasons.push(`large-k-change: sqrt_k × ${k.toFixed(4)} (allowed 1/${f} … ${f})`);
    const peg = ratio(r.pegMultiplierAfter, r.pegMultiplierBefore) - 1;
    if (r.pegMultiplierBefore > 0n && Math.abs(peg) > thresholds.pegChangeFraction) {
      reasons.push(`large-repeg: peg ${peg > 0 ? '+' : ''}${pct(peg)} (allowed ±${pct(thresholds.pegChangeFraction)})`);
    }
    return reasons;
  });
}

export function flagFundingOutliers(records: readonly FundingRecord[], thresholds: OutlierThresholds = DEFAULT_OUTLIER_THRESHOLDS): OutlierFlag[] {
  return collect(records, (r) => {
    const reasons: string[] = [];
    if (r.oraclePriceTwap <= 0n || r.markPriceTwap <= 0n) {
      reasons.push(`non-positive-twap: oracle_price_twap ${r.oraclePriceTwap}, mark_price_twap ${r.markPriceTwap} (1e10)`);
      return reasons;
    }
    const premium = ratio(r.markPriceTwap, r.oraclePriceTwap) - 1;
    if (Math.abs(premium) > thresholds.twapPremiumFraction) {
      reasons.push(`extreme-twap-premium: mark ${markRawToUsd(r.markPriceTwap)} vs oracle ${markRawToUsd(r.oraclePriceTwap)} USD, ${pct(premium)} (allowed ±${pct(thresholds.twapPremiumFraction)})`);
    }
    // BigInt division truncates toward zero like the program's signed i128 division.
    const expected = ((r.markPriceTwap - r.oraclePriceTwap) * 10_000n) / 24n;
    if (r.fundingRate !== expected) reasons.push(`funding-rate-not-from-twaps: funding_rate ${r.fundingRate}, the TWAPs give ${expected} (1e14)`);
    return reasons;
  });
}

const PRICE_FROM_QUOTE_PER_BASE = 10n ** 17n; // price 1e10 = quote 1e6 · 1e4 / (base 1e13 / 1e13) → quote·1e17 / base

export function flagTradeOutliers(records: readonly TradeRecord[], thresholds: OutlierThresholds = DEFAULT_OUTLIER_THRESHOLDS): OutlierFlag[] {
  const sorted = [...records].sort((a, b) => (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0));
  const lastMark = new Map<number, bigint>();
  const previousMark = new Map<bigint, bigint>();
  for (const r of sorted) {
    const before = lastMark.get(r.marketIndex);
    if (before !== undefined) previousMark.set(r.recordId, before);
    lastMark.set(r.marketIndex, r.markPriceAfter);
  }
  return collect(sorted, (r) => {
    const reasons: string[] = [];
    const lo = r.markPriceBefore < r.markPriceAfter ? r.markPriceBefore : r.markPriceAfter;
    const hi = r.markPriceBefore < r.markPriceAfter ? r.markPriceAfter : r.markPriceBefore;
    // Compare quote·1e17 with mark·base exactly; quote is rounded to a unit, so allow one unit either way.
    const q = r.quoteAssetAmount * PRICE_FROM_QUOTE_PER_BASE;
    if (r.baseAssetAmount > 0n && (q + PRICE_FROM_QUOTE_PER_BASE < lo * r.baseAssetAmount || q - PRICE_FROM_QUOTE_PER_BASE > hi * r.baseAssetAmount)) {
      const avg = Number(q / r.baseAssetAmount);
      reasons.push(`execution-price-outside-marks: average ${markRawToUsd(avg)} USD outside [${markRawToUsd(lo)}, ${markRawToUsd(hi)}]`);
    }
    if ((r.direction === 'long' && r.markPriceAfter < r.markPriceBefore) || (r.direction === 'short' && r.markPriceAfter > r.markPriceBefore)) {
      reasons.push(`direction-against-mark: ${r.direction} moved the mark ${markRawToUsd(r.markPriceBefore)} → ${markRawToUsd(r.markPriceAfter)} USD`);
    }
    const expectedFee = (r.quoteAssetAmount * 10n) / 10_000n;
    if (r.fee + r.refereeDiscount + r.tokenDiscount !== expectedFee) {
      reasons.push(`fee-not-10bps: fee ${usd(r.fee)} + discounts ${usd(r.refereeDiscount + r.tokenDiscount)} ≠ 10 bps of ${usd(r.quoteAssetAmount)} (${usd(expectedFee)})`);
    }
    const before = previousMark.get(r.recordId);
    if (before !== undefined && before !== r.markPriceBefore) {
      reasons.push(`mark-chain-break: mark_price_before ${markRawToUsd(r.markPriceBefore)} USD, the previous trade left ${markRawToUsd(before)} USD`);
    }
    const gap = r.oraclePrice > 0n ? ratio(r.markPriceBefore, r.oraclePrice) - 1 : Number.POSITIVE_INFINITY;
    if (Math.abs(gap) > thresholds.tradeMarkOracleGapFraction) {
      reasons.push(`mark-oracle-gap: mark ${markRawToUsd(r.markPriceBefore)} vs oracle ${markRawToUsd(r.oraclePrice)} USD, ${pct(gap)} (allowed ±${pct(thresholds.tradeMarkOracleGapFraction)})`);
    }
    return reasons;
  });
}

/** How many flags each rule raised (a flag with several reasons counts once per rule). */
export function countByRule(flags: readonly OutlierFlag[]): Partial<Record<OutlierRule, number>> {
  const counts: Partial<Record<OutlierRule, number>> = {};
  for (const flag of flags) {
    for (const reason of flag.reasons) {
      const rule = reason.slice(0, reason.indexOf(':')) as OutlierRule;
      counts[rule] = (counts[rule] ?? 0) + 1;
    }
  }
  return counts;
}
