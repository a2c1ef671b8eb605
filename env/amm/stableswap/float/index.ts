/**
 * Float64 twin of Curve StableSwap (getD, getY, getYD, getDy, exchange, spot price) and the
 * arbitrage search built on it. See math.ts for units and the tolerance against the exact code.
 */
export {
  getD, getDUnchecked, getDFrom, getY, getYUnchecked, getYD, getDy, getDyUnchecked, dyGrossUnchecked, exchange, exchangeUnchecked,
  spotPrice, spotPriceUnchecked, newFloatSwap, type FloatSwap,
} from './math.js';
export {
  arbitrage, arbitrageInput, mostMispricedPair, newArbitrageStats, resetArbitrageStats, type ArbitrageOptions, type ArbitrageStats,
} from './arbitrage.js';
