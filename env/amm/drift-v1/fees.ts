/**
 * Trade fees and the fee-pool counters (protocol-v1 `math/fees.rs` `calculate` (jan) /
 * `calculate_fee_for_trade` (may); `lib.rs` `withdraw_fees`, `withdraw_from_insurance_vault_to_market`).
 * drift-v1-math.md §2.9.
 */
import {
  DEFAULT_FEE_STRUCTURE,
  SHARE_OF_FEES_ALLOCATED_TO_CLEARING_HOUSE_DENOMINATOR,
  SHARE_OF_FEES_ALLOCATED_TO_CLEARING_HOUSE_NUMERATOR,
} from './constants.js';
import { subU } from './bigmath.js';
import { AdminWithdrawTooLarge } from './errors.js';
import type { ProtocolSemantics, ProtocolVersion } from './protocol.js';
import { resolveProtocol } from './protocol.js';
import type { FeeStructure, Market } from './state.js';

export interface FeeOptions {
  readonly feeStructure?: FeeStructure;
  /** The trader's DRIFT-token balance (raw token units) when a discount token account is passed. */
  readonly discountTokenBalanceRaw?: bigint;
  /** A referrer account is passed: referrer reward and referee discount apply. */
  readonly hasReferrer?: boolean;
}

/** All QUOTE_PRECISION. */
export interface FeeBreakdown {
  /** floor(quote·num/den). */
  readonly fee: bigint;
  /** What the trader pays: fee − token discount − referee discount. */
  readonly userFee: bigint;
  /** What the market books: user fee − referrer reward (+ spread surplus, may2022). */
  readonly feeToMarket: bigint;
  readonly tokenDiscount: bigint;
  readonly referrerReward: bigint;
  readonly refereeDiscount: bigint;
}

/** Fee of a trade with quote notional `quoteAssetAmount`; `quoteAssetAmountSurplus` is may2022's spread surplus. */
export function calculateFee(
  quoteAssetAmount: bigint,
  options: FeeOptions = {},
  quoteAssetAmountSurplus = 0n,
): FeeBreakdown {
  const fs = options.feeStructure ?? DEFAULT_FEE_STRUCTURE;
  const fee = (quoteAssetAmount * fs.feeNumerator) / fs.feeDenominator;
  let tokenDiscount = 0n;
  const balance = options.discountTokenBalanceRaw;
  if (balance !== undefined) {
    const tier = fs.discountTokenTiers.find((t) => balance >= t.minimumBalanceRaw);
    if (tier !== undefined) tokenDiscount = (fee * tier.discountNumerator) / tier.discountDenominator;
  }
  let referrerReward = 0n;
  let refereeDiscount = 0n;
  if (options.hasReferrer === true) {
    referrerReward = (fee * fs.referrerRewardNumerator) / fs.referrerRewardDenominator;
    refereeDiscount = (fee * fs.refereeDiscountNumerator) / fs.refereeDiscountDenominator;
  }
  const userFee = subU(subU(fee, tokenDiscount, 'fee.tokenDiscount'), refereeDiscount, 'fee.refereeDiscount');
  const feeToMarket = subU(userFee, referrerReward, 'fee.referrerReward') + quoteAssetAmountSurplus;
  return { fee, userFee, feeToMarket, tokenDiscount, referrerReward, refereeDiscount };
}

/** floor(total_fee · 1/2): the part of the fees repeg and funding may not spend (the "50 % tranche"). */
export function feePoolFloor(totalFee: bigint): bigint {
  return (
    (totalFee * SHARE_OF_FEES_ALLOCATED_TO_CLEARING_HOUSE_NUMERATOR) /
    SHARE_OF_FEES_ALLOCATED_TO_CLEARING_HOUSE_DENOMINATOR
  );
}

/** total_fee += feeToMarket; tfmd += feeToMarket. */
export function addFeeToMarket(market: Market, feeToMarket: bigint): Market {
  return {
    ...market,
    totalFee: market.totalFee + feeToMarket,
    totalFeeMinusDistributions: market.totalFeeMinusDistributions + feeToMarket,
  };
}

/** The most the admin may withdraw now: floor(total_fee/2) − total_fee_withdrawn. */
export function maxFeeWithdrawal(market: Market): bigint {
  return subU(feePoolFloor(market.totalFee), market.totalFeeWithdrawn, 'maxFeeWithdrawal');
}

/** `withdraw_fees`: raises total_fee_withdrawn (tfmd is untouched; update_k's budget subtracts it). */
export function withdrawFees(market: Market, amountQuote: bigint): Market {
  const max = maxFeeWithdrawal(market);
  if (amountQuote > max) {
    throw new AdminWithdrawTooLarge(
      'withdrawFees',
      `amount ${amountQuote} exceeds floor(total_fee/2) − total_fee_withdrawn = ${max}`,
    );
  }
  return { ...market, totalFeeWithdrawn: market.totalFeeWithdrawn + amountQuote };
}

/** `withdraw_from_insurance_vault_to_market`: tfmd += amount (jan2022 also total_fee += amount). */
export function transferInsuranceToMarket(
  market: Market,
  amountQuote: bigint,
  protocol: ProtocolVersion | ProtocolSemantics,
): Market {
  const sem = resolveProtocol(protocol);
  return {
    ...market,
    totalFee: sem.insuranceTransferRaisesTotalFee ? market.totalFee + amountQuote : market.totalFee,
    totalFeeMinusDistributions: market.totalFeeMinusDistributions + amountQuote,
  };
}
