/**
 * Starting states for drift-vamm-v0: each Drift v1 market's curve and fee pool as recorded in the
 * before-fields of its first record in curve_history_hist.csv (record ids below), raw protocol units
 * (reserves and sqrt_k 1e13, peg 1e3, fees 1e6). The net position is not taken over: episodes start
 * with an empty book, and the trader flow builds the imbalance.
 */
export interface MarketPreset {
  readonly symbol: string;
  readonly marketIndex: number;
  /** The curve_history record the values come from, and its time. */
  readonly recordId: number;
  readonly recordTs: string;
  readonly baseAssetReserve: number;
  readonly quoteAssetReserve: number;
  readonly sqrtK: number;
  readonly pegMultiplier: number;
  readonly totalFee: number;
  readonly totalFeeMinusDistributions: number;
}

export const MARKET_PRESETS: Readonly<Record<string, MarketPreset>> = Object.freeze({
  SOL: { symbol: 'SOL', marketIndex: 0, recordId: 56, recordTs: '2021-11-29T21:28:46Z', baseAssetReserve: 213654439470994844, quoteAssetReserve: 188737106528553534, sqrtK: 200809662871923439, pegMultiplier: 233800, totalFee: 40645227339, totalFeeMinusDistributions: 38002296482 },
  BTC: { symbol: 'BTC', marketIndex: 1, recordId: 55, recordTs: '2021-11-29T01:00:49Z', baseAssetReserve: 917973188825333, quoteAssetReserve: 928506942951329, sqrtK: 923225042591184, pegMultiplier: 57190823, totalFee: 5245645986, totalFeeMinusDistributions: 4043712206 },
  ETH: { symbol: 'ETH', marketIndex: 2, recordId: 58, recordTs: '2021-11-30T18:23:05Z', baseAssetReserve: 5395310227550682, quoteAssetReserve: 5745033031173854, sqrtK: 5567426287855888, pegMultiplier: 4310789, totalFee: 4517902756, totalFeeMinusDistributions: 3356545636 },
  LUNA: { symbol: 'LUNA', marketIndex: 3, recordId: 89, recordTs: '2021-12-07T00:51:43Z', baseAssetReserve: 305578124204410820, quoteAssetReserve: 328478863345650078, sqrtK: 316821645254803808, pegMultiplier: 63127, totalFee: 319044642, totalFeeMinusDistributions: 144396371 },
  AVAX: { symbol: 'AVAX', marketIndex: 4, recordId: 108, recordTs: '2021-12-10T22:16:32Z', baseAssetReserve: 582726473772021471, quoteAssetReserve: 570659375673402818, sqrtK: 576661361382141950, pegMultiplier: 86706, totalFee: 1613493579, totalFeeMinusDistributions: 1393725706 },
  BNB: { symbol: 'BNB', marketIndex: 5, recordId: 233, recordTs: '2021-12-30T01:00:10Z', baseAssetReserve: 153830207851616715, quoteAssetReserve: 151727542966260773, sqrtK: 152775258046959294, pegMultiplier: 523645, totalFee: 22166680150, totalFeeMinusDistributions: 19955214929 },
  MATIC: { symbol: 'MATIC', marketIndex: 6, recordId: 317, recordTs: '2022-01-07T06:07:11Z', baseAssetReserve: 36976573074329239797, quoteAssetReserve: 35923965100726402929, sqrtK: 36446469248291571753, pegMultiplier: 2195, totalFee: 2602422611, totalFeeMinusDistributions: 2458738514 },
  ATOM: { symbol: 'ATOM', marketIndex: 7, recordId: 367, recordTs: '2022-01-12T02:38:04Z', baseAssetReserve: 2040916252686983979, quoteAssetReserve: 2175873986057084746, sqrtK: 2107315017253641703, pegMultiplier: 37963, totalFee: 3017836747, totalFeeMinusDistributions: 2742090914 },
});

export const MARKET_SYMBOLS: readonly string[] = Object.freeze(Object.keys(MARKET_PRESETS));
