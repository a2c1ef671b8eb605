import { InvalidArgumentError } from '../../env/core/errors.js';

/** Drift v1 market index → symbol (protocol-v1 `sdk/src/constants/markets.ts`); the bundled history holds 0–7. */
export interface DriftV1MarketInfo {
  readonly index: number;
  /** Short symbol as used by `--market` and the drift-vamm presets (SOL, BTC, …). */
  readonly symbol: string;
  /** The program's name, e.g. SOL-PERP. */
  readonly name: string;
  /** launchTs, ISO date (UTC). */
  readonly launched: string;
}

const TABLE: readonly [string, string][] = [
  ['SOL', '2021-10-26'], ['BTC', '2021-11-23'], ['ETH', '2021-11-23'], ['LUNA', '2021-12-06'], ['AVAX', '2021-12-09'],
  ['BNB', '2021-12-14'], ['MATIC', '2022-01-06'], ['ATOM', '2022-01-11'], ['DOT', '2022-01-19'], ['ADA', '2022-01-25'],
  ['ALGO', '2022-02-01'], ['FTT', '2022-02-09'], ['LTC', '2022-02-16'], ['XRP', '2022-03-17'], ['APE', '2022-03-28'],
  ['DOGE', '2022-03-30'], ['NEAR', '2022-04-04'], ['SRM', '2022-04-13'], ['GMT', '2022-04-21'], ['CRV', '2022-04-26'],
  ['FTM', '2022-05-03'],
];

export const DRIFT_V1_MARKETS: readonly DriftV1MarketInfo[] = Object.freeze(
  TABLE.map(([symbol, launched], index) => Object.freeze({ index, symbol, name: `${symbol}-PERP`, launched })),
);

/** Symbol of a market index ("#<index>" for an index the table does not know, so output never hides a row). */
export function marketSymbol(index: number): string {
  return DRIFT_V1_MARKETS[index]?.symbol ?? `#${index}`;
}

/** Market index of a symbol (`SOL`, `sol`, `SOL-PERP` or a numeric index); a typed error names what is allowed. */
export function marketIndexOf(symbolOrIndex: string | number, where = 'market'): number {
  const s = String(symbolOrIndex).trim().toUpperCase().replace(/-PERP$/, '');
  if (/^\d+$/.test(s) && DRIFT_V1_MARKETS[Number(s)] !== undefined) return Number(s);
  const found = DRIFT_V1_MARKETS.find((m) => m.symbol === s);
  if (found === undefined) {
    throw new InvalidArgumentError(
      `${where}: unknown Drift v1 market ${JSON.stringify(symbolOrIndex)}; allowed: ${DRIFT_V1_MARKETS.map((m) => m.symbol).join(', ')} (or an index 0–${DRIFT_V1_MARKETS.length - 1})`,
    );
  }
  return found.index;
}
