import type { ProtocolVersion } from '../../env/amm/drift-v1/index.js';

/**
 * Which program semantics were live at a unix time, for `--protocol auto`. Cut-overs are commit
 * times of protocol-v1 (deploys may lag a little):
 * - before 2022-01-04T20:54:33Z: `dec2021` (protocol-v1 4ed1c27; 12d0765 "simplify rounding in favor"
 *   is the first jan2022 commit, and the curve history switches between records 285 and 286, the two
 *   records either side of that time);
 * - until 2022-02-28: `jan2022` (df8b853; the 2.5 % k-decrease limit of 2022-01-19 does not change costs);
 * - from 2022-02-28 (b9d2211, rounding moved to the short close): `may2022`. Records between then and
 *   2022-04-28 ran intermediate programs (no k_err check before 04-04, no spread before 04-28) that
 *   only approximately match may2022; the bundled data ends 2022-01-16.
 */
const CUT_OVERS: readonly { readonly from: number; readonly version: ProtocolVersion }[] = [
  { from: Date.UTC(2022, 1, 28) / 1000, version: 'may2022' },
  { from: Date.UTC(2022, 0, 4, 20, 54, 33) / 1000, version: 'jan2022' },
];

export function protocolAt(unixSeconds: number): ProtocolVersion {
  return CUT_OVERS.find((c) => unixSeconds >= c.from)?.version ?? 'dec2021';
}
