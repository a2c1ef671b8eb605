import assert from 'node:assert/strict';
import { it } from 'node:test';
import { float as F } from '../env/amm/drift-v1/index.js';

it('copyFloatMarketInto copies every field and keeps the destination curve object', () => {
  const src: F.FloatMarket = {
    curve: { baseAssetReserve: 1e18, quoteAssetReserve: 2e18, sqrtK: 1.5e18, pegMultiplier: 3 },
    baseAssetAmountLong: 4, baseAssetAmountShort: -5, baseAssetAmount: -1, openInterest: 6, totalFee: 7,
    totalFeeMinusDistributions: 8, totalFeeWithdrawn: 9, cumulativeFundingRateLong: 10, cumulativeFundingRateShort: 11,
    lastFundingRate: 12, lastFundingRateTs: 13, fundingPeriodSec: 14, lastOraclePriceTwap: 15, lastOraclePriceTwapTs: 16,
    lastMarkPriceTwap: 17, lastMarkPriceTwapTs: 18, lastOraclePrice: 19, minimumQuoteAssetTradeSize: 20,
    minimumBaseAssetTradeSize: 21, baseSpread: 22,
  };
  const dst = F.cloneFloatMarket(src);
  for (const k of Object.keys(dst)) if (k !== 'curve') (dst as unknown as Record<string, number>)[k] = -99;
  dst.curve.sqrtK = -99;
  const curve = dst.curve;
  F.copyFloatMarketInto(dst, src);
  assert.deepEqual(dst, src);
  assert.equal(dst.curve, curve);
});

it('float update_k with total_fee_withdrawn above tfmd fails like the exact code: MathError on the budget subtraction', async () => {
  const { createMarket, updateK, MathError } = await import('../env/amm/drift-v1/index.js');
  const x = 5n * 10n ** 18n;
  const exact = createMarket({ baseAssetReserve: x, quoteAssetReserve: x, sqrtK: x, pegMultiplier: 150_000n }, {
    baseAssetAmount: 10n ** 15n, baseAssetAmountLong: 10n ** 15n, totalFee: 100n, totalFeeMinusDistributions: 10n, totalFeeWithdrawn: 50n,
  });
  assert.throws(() => updateK(exact, (x * 101n) / 100n, 'jan2022'), MathError);
  assert.throws(() => F.updateK(F.toFloatMarket(exact), Number((x * 101n) / 100n), 'jan2022'), MathError);
});
