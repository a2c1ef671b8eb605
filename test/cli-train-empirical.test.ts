/**
 * `damm-gym train empirical-q` as a user runs it: on a small curve history written here (always),
 * on the real Drift v1 history (skipped, with the reason, when ../shared/data/drift-v1 is absent),
 * and the saved policy evaluated by `damm-gym evaluate --env drift-vamm-v0`.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DRIFT_V1_FILES, resolveDataDir } from '../data/dataDir.js';
import { InvalidArgumentError } from '../env/core/errors.js';
import { trainEmpirical, type TrainEmpiricalArgs } from '../training/commands/trainEmpirical.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'damm-gym-empirical-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'ts,record_id,market_index,peg_multiplier_before,base_asset_reserve_before,quote_asset_reserve_before,sqrt_k_before,'
  + 'peg_multiplier_after,base_asset_reserve_after,quote_asset_reserve_after,sqrt_k_after,base_asset_amount_long,'
  + 'base_asset_amount_short,base_asset_amount,open_interest,total_fee,total_fee_minus_distributions,adjustment_cost';
const E13 = 10n ** 13n;

interface Row { id: number; market: number; peg: [number, number]; k: [number, number]; d: number; fee: number; tfmd: number; cost: number }

function csvRow(r: Row): string {
  const d = BigInt(r.d) * E13;
  const k0 = BigInt(r.k[0]) * E13;
  const k1 = BigInt(r.k[1]) * E13;
  return [
    `2022-01-06 ${String(r.id).padStart(2, '0')}:00:00-05:00`, r.id, r.market, r.peg[0], k0, k0, k0, r.peg[1], k1, k1, k1,
    d > 0n ? d : 0n, d < 0n ? -d : 0n, d, 3, r.fee, r.tfmd, r.cost,
  ].join(',');
}

/**
 * SOL: k-up at d/sqrt_k 0.05, repeg-up at 0.0198, hold at 0, k-down at −0.0297, repeg-down at −0.09,
 * then a last k-up (no successor); BTC: two k-ups. Depth sqrt_k·peg = 1000 × 100 = 100,000 USD, so
 * the first transition's 10 USD (12 fees − 2 cost) is 1 bp.
 */
const FIXTURE: Row[] = [
  { id: 1, market: 0, peg: [100000, 100000], k: [1000, 1010], d: 50, fee: 1000e6, tfmd: 800e6 - 2e6, cost: 2e6 },
  { id: 2, market: 0, peg: [100000, 100100], k: [1010, 1010], d: 20, fee: 1012e6, tfmd: 810e6 - 1e6, cost: 1e6 },
  { id: 3, market: 0, peg: [100100, 100100], k: [1010, 1010], d: 0, fee: 1020e6, tfmd: 820e6, cost: 0 },
  { id: 4, market: 0, peg: [100100, 100100], k: [1010, 1000], d: -30, fee: 1030e6, tfmd: 830e6 + 1e6, cost: -1e6 },
  { id: 5, market: 0, peg: [100100, 100000], k: [1000, 1000], d: -90, fee: 1040e6, tfmd: 840e6 - 3e6, cost: 3e6 },
  { id: 6, market: 0, peg: [100000, 100000], k: [1000, 1010], d: -80, fee: 1050e6, tfmd: 850e6 - 1e6, cost: 1e6 },
  { id: 7, market: 1, peg: [50000000, 50000000], k: [10, 11], d: 0, fee: 5e6, tfmd: 4e6, cost: 0 },
  { id: 8, market: 1, peg: [50000000, 50000000], k: [11, 12], d: 0, fee: 6e6, tfmd: 5e6, cost: 0 },
];

function dataDir(name: string, lines: string[]): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, DRIFT_V1_FILES.curveHistory), `${lines.join('\n')}\n`);
  return d;
}

const fixtureDir = dataDir('fixture', [HEADER, ...FIXTURE.map(csvRow)]);

interface EmpiricalJson {
  runDir: string; policyPath: string; market: string; transitions: number; dropped: { lastOfMarket: number; excluded: number; gap: number };
  actions: string[]; actionCounts: number[]; states: { state: number; n: number; counts: number[]; meanReward: (number | null)[]; vi: string; q: string }[];
  valueIteration: { converged: boolean; iterations: number; residual: number; policy: string[] } | null; qLearning: { policy: string[] } | null;
  agreement: { states: number; agree: number; statesWithData: number; agreeWithData: number } | null;
  policy: string[]; actEvery: number; meanDtHours: number; excludedRecordIds: string[];
}

describe('train empirical-q on a small curve history', () => {
  const run = join(dir, 'run-sol');

  it('counts each transition in its imbalance bin and class, solves, and writes the four files', () => {
    const r = runCli('train', 'empirical-q', '--data-dir', fixtureDir, '--market', 'SOL', '--out', run, '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as EmpiricalJson;
    assert.equal(out.transitions, 5);
    assert.deepEqual(out.dropped, { lastOfMarket: 1, excluded: 0, gap: 0 });
    assert.deepEqual(out.actions, ['hold', 'repeg-up', 'repeg-down', 'k-up', 'k-down']);
    assert.deepEqual(out.actionCounts, [1, 1, 1, 1, 1]);
    const at = (state: number) => out.states[state]!.counts;
    assert.deepEqual([at(5), at(4), at(3), at(2), at(0)], [[0, 0, 0, 1, 0], [0, 1, 0, 0, 0], [1, 0, 0, 0, 0], [0, 0, 0, 0, 1], [0, 0, 1, 0, 0]]);
    assert.ok(Math.abs(out.states[5]!.meanReward[3]! - 1) < 1e-9, `k-up reward ${out.states[5]!.meanReward[3]} bp`);
    // observed support: each state with data can only take the one class seen in it
    assert.deepEqual([0, 2, 3, 4, 5].map((s) => out.policy[s]), ['repeg-down', 'k-down', 'hold', 'repeg-up', 'k-up']);
    assert.ok(out.valueIteration!.converged);
    assert.equal(out.agreement!.agreeWithData, out.agreement!.statesWithData);
    assert.equal(out.meanDtHours, 1);
    assert.equal(out.actEvery, 60);
    for (const f of ['config.json', 'model.json', 'transitions.csv', 'policy.json']) assert.ok(existsSync(join(run, f)), f);
    const model = JSON.parse(readFileSync(join(run, 'model.json'), 'utf8')) as { counts: number[][]; nextCounts: number[][][]; transition: number[][][] };
    assert.deepEqual(model.counts[5], [0, 0, 0, 1, 0]);
    assert.equal(model.nextCounts[5]![3]![4], 1); // k-up at 0.05 → next state 0.0198
    for (const row of model.transition.flat()) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.equal(readFileSync(join(run, 'transitions.csv'), 'utf8').trim().split('\n').length, 6);
    const policy = JSON.parse(readFileSync(join(run, 'policy.json'), 'utf8')) as { kind: string; envId: string | null; data: { classes: string[] } };
    assert.deepEqual([policy.kind, policy.envId, policy.data.classes], ['empirical-q', null, out.policy]);
  });

  it('prints the counts table, both solvers\' policies and their agreement', () => {
    const r = runCli('train', 'empirical-q', '--data-dir', fixtureDir, '--market', 'all', '--out', join(dir, 'run-all'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^state\s+d\/sqrt_k\s+n\s+hold n \(mean r\)/m);
    assert.match(r.stdout, /transitions: 6 \(market all; dropped: 2 last-of-market, 0 excluded \[records none\], 0 gap\)/);
    assert.match(r.stdout, /value iteration: γ 0\.9, converged in \d+ iterations/);
    assert.match(r.stdout, /Q-learning on the model: 20000 sweeps/);
    assert.match(r.stdout, /agreement: \d\/7 states; \d\/\d states with data/);
  });

  it('the saved policy runs under damm-gym evaluate on drift-vamm-v0', () => {
    const r = runCli('evaluate', '--env', 'drift-vamm-v0', '--policy', `${run},noop`, '--seeds', '1', '--out', join(dir, 'eval'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { policies: { policy: string; meanLength: number }[] };
    assert.deepEqual(out.policies.map((p) => p.policy), ['empirical-q-SOL', 'noop']);
    assert.equal(out.policies[0]!.meanLength, 1440);
  });

  it('bad flags and bad data fail with the flag or file position named, and write nothing', () => {
    const malformed = dataDir('malformed', [HEADER, csvRow(FIXTURE[0]!), csvRow(FIXTURE[1]!).replace(',3,', ',three,')]);
    const cases: [string[], RegExp][] = [
      [['--data-dir', fixtureDir, '--gamma', '1'], /InvalidArgumentError: --gamma: got 1; allowed: a number in \[0, 1\)/],
      [['--data-dir', malformed], /CsvFormatError: .*curve_history_hist\.csv:3 column "open_interest".*"three"/],
    ];
    cases.forEach(([flags, pattern], i) => {
      const out = join(dir, `bad-cli-${i}`);
      const r = runCli('train', 'empirical-q', '--out', out, ...flags);
      assert.equal(r.status, 1, `${flags.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern, flags.join(' '));
      assert.ok(!existsSync(out), `${flags.join(' ')} left ${out} behind`);
    });
  });

  it('every flag is checked and named (in process)', async () => {
    const cases: [TrainEmpiricalArgs, RegExp][] = [
      [{ bins: 0 }, /--bins: got 0/],
      [{ range: -1 }, /--range: got -1/],
      [{ market: 'NOPE' }, /unknown Drift v1 market "NOPE"/],
      [{ market: 'ETH' }, /--market ETH: .* has no transitions/],
      [{ solver: 'dp' }, /--solver: got "dp"; allowed: vi, q, both/],
      [{ reward: 'eur' }, /--reward: got "eur"/],
      [{ support: 'some' }, /--support: got "some"/],
      [{ prior: -1 }, /--prior: got -1/],
      [{ sweeps: 0.5 }, /--sweeps: got 0.5/],
      [{ actEvery: '0' }, /--act-every: got "0"/],
      [{ exclude: '9x' }, /--exclude: "9x" is not a record id/],
    ];
    for (const [args, pattern] of cases) {
      const out = join(dir, `bad-${JSON.stringify(args).replace(/\W/g, '')}`);
      await assert.rejects(trainEmpirical({ dataDir: fixtureDir, out, ...args }), (e: unknown) => e instanceof InvalidArgumentError && pattern.test(e.message), JSON.stringify(args));
      assert.ok(!existsSync(out), `${JSON.stringify(args)} left ${out} behind`);
    }
  });

  it('--solver q saves the Q-learning classes; the same seed gives the same files', async () => {
    const a = await trainEmpirical({ dataDir: fixtureDir, market: 'all', solver: 'q', sweeps: 2000, seed: 4, out: join(dir, 'q-a') });
    const b = await trainEmpirical({ dataDir: fixtureDir, market: 'all', solver: 'q', sweeps: 2000, seed: 4, out: join(dir, 'q-b') });
    assert.equal(a.valueIteration, null);
    assert.deepEqual(a.policy, a.qLearning!.policy);
    assert.equal(readFileSync(join(dir, 'q-a', 'model.json'), 'utf8'), readFileSync(join(dir, 'q-b', 'model.json'), 'utf8'));
    assert.deepEqual(b.policy, a.policy);
  });
});

const realDir = (() => {
  try {
    const d = resolveDataDir().dir;
    return existsSync(join(d, DRIFT_V1_FILES.curveHistory)) ? d : null;
  } catch {
    return null;
  }
})();
const noData = realDir === null ? 'the Drift v1 data directory is not present (see README: Data); these tests need ../shared/data/drift-v1' : false;

describe('train empirical-q on the real curve history', { skip: noData }, () => {
  it('SOL: 64 transitions, mostly k increases; both solvers agree wherever there is data', () => {
    const run = join(dir, 'real-sol');
    const r = runCli('train', 'empirical-q', '--market', 'SOL', '--out', run, '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as EmpiricalJson;
    assert.equal(out.transitions, 64);
    assert.deepEqual(out.dropped, { lastOfMarket: 1, excluded: 0, gap: 0 });
    assert.deepEqual(out.actionCounts, [1, 2, 0, 61, 0]);
    assert.equal(out.states.reduce((n, s) => n + s.n, 0), 64);
    assert.ok(out.valueIteration!.converged && out.valueIteration!.residual < 1e-9);
    assert.equal(out.agreement!.agreeWithData, out.agreement!.statesWithData);
    assert.ok(!out.policy.includes('repeg-down') && !out.policy.includes('k-down'), 'classes SOL never saw are never chosen');
    const ev = runCli('evaluate', '--env', 'drift-vamm-v0', '--policy', run, '--seeds', '1', '--out', join(dir, 'real-eval'), '--json');
    assert.equal(ev.status, 0, ev.stderr);
  });

  it('all markets: 333 transitions once the LUNA relaunch (records 96, 98–100) is left out, 339 with it', () => {
    const r = runCli('train', 'empirical-q', '--market', 'all', '--out', join(dir, 'real-all'), '--json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as EmpiricalJson;
    assert.equal(out.transitions, 333);
    assert.deepEqual(out.dropped, { lastOfMarket: 8, excluded: 6, gap: 0 });
    assert.deepEqual(out.excludedRecordIds, ['96', '98', '99', '100']);
    assert.deepEqual(out.actionCounts, [6, 76, 29, 218, 4]);
    const none = JSON.parse(runCli('train', 'empirical-q', '--market', 'all', '--exclude', 'none', '--out', join(dir, 'real-all-none'), '--json').stdout) as EmpiricalJson;
    assert.equal(none.transitions, 339);
  });
});
