/**
 * drift-vamm-v0's vector env on worker threads (`numThreads`): with any thread count the outputs
 * (observations, rewards, flags, every info column, final_obs / final_info) and the state columns
 * equal the one-thread env's (itself checked against the scalar env in vector-drift-vamm.test.ts),
 * in every autoreset mode, for discrete and continuous actions and uneven blocks; errors from any
 * block come back typed; close() ends the threads and a forgotten close() does not hold the process.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import {
  ClosedEnvironmentError, InvalidActionError, InvalidArgumentError, make, ResetNeeded, Rng,
} from '../env/core/index.js';
import '../env/tasks/builtin.js';
import { ShardThreads } from '../env/core/vector/shardThreads.js';
import { DriftVammVectorEnv } from '../env/tasks/drift-vamm/vector/index.js';
import { splitRows } from '../env/tasks/drift-vamm/vector/threads.js';

const ID = 'drift-vamm-v0';
type Kwargs = Record<string, unknown>;

function vec(kwargs: Kwargs): DriftVammVectorEnv {
  const env = make(ID, kwargs) as unknown as DriftVammVectorEnv;
  assert.ok(env instanceof DriftVammVectorEnv);
  return env;
}

/** A deep copy of what a reset/step returned (typed arrays → plain arrays, so deepEqual compares by Object.is). */
function snapshot(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(snapshot);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, snapshot(v)]));
  }
  return value;
}

/** The state columns (the books excepted: each thread keeps its rows' book). */
function stateOf(env: DriftVammVectorEnv): unknown {
  const cols = env.columns as unknown as Record<string, unknown>;
  return Object.fromEntries(Object.entries(cols).filter(([k, v]) => k !== 'book' && ArrayBuffer.isView(v)).map(([k, v]) => [k, snapshot(v)]));
}

/**
 * Steps a threaded env and a one-thread env side by side on the same random actions; every
 * `resetEvery` steps resets a random subset (resetMask) so the disabled mode keeps going.
 */
function compare(kwargs: Kwargs, numThreads: number, steps: number, seed: number): { ended: number } {
  const one = vec(kwargs);
  const many = vec({ ...kwargs, numThreads });
  const n = one.numEnvs;
  const continuous = kwargs['actionSpace'] === 'continuous';
  const seeds = Array.from({ length: n }, (_, i) => 1000 * seed + 17 * i);
  try {
    assert.deepEqual(snapshot(many.reset({ seed: seeds })), snapshot(one.reset({ seed: seeds })));
    const rng = new Rng(seed);
    const actions = continuous ? new Float32Array(2 * n) : new Int32Array(n);
    let ended = 0;
    for (let t = 0; t < steps; t++) {
      for (let j = 0; j < actions.length; j++) actions[j] = continuous ? rng.uniform(-1, 1) : (rng.random() < 0.3 ? rng.integers(0, 6) : 0);
      if (kwargs['autoresetMode'] === 'disabled') {
        const mask = new Uint8Array(n);
        const terms = one.columns.ended;
        for (let i = 0; i < n; i++) mask[i] = terms[i]!;
        if (mask.some((m) => m === 1)) {
          assert.deepEqual(snapshot(many.reset({ options: { resetMask: mask } })), snapshot(one.reset({ options: { resetMask: mask } })), `reset at ${t}`);
        }
      }
      const a = snapshot(one.step(actions)) as unknown[];
      const b = snapshot(many.step(actions)) as unknown[];
      assert.deepEqual(b, a, `step ${t}`);
      ended += (a[2] as number[]).filter((x) => x === 1).length + (a[3] as number[]).filter((x) => x === 1).length;
    }
    assert.deepEqual(stateOf(many), stateOf(one));
    return { ended };
  } finally {
    many.close();
  }
}

describe('drift-vamm-v0 vector env on worker threads', () => {
  it('splits rows into contiguous blocks whose sizes differ by at most one', () => {
    assert.deepEqual(splitRows(7, 3), [{ lo: 0, hi: 2 }, { lo: 2, hi: 4 }, { lo: 4, hi: 7 }]);
    assert.deepEqual(splitRows(4, 4).map((r) => r.hi - r.lo), [1, 1, 1, 1]);
  });

  it('2 threads, next-step autoreset, discrete actions: every output equals the one-thread env', () => {
    const { ended } = compare({ numEnvs: 64, maxEpisodeSteps: 60 }, 2, 400, 1);
    assert.ok(ended > 100, `episodes ended: ${ended}`);
  });

  it('3 threads on 7 sub-envs, same-step autoreset (final_obs, final_info), continuous actions', () => {
    const { ended } = compare({ numEnvs: 7, maxEpisodeSteps: 45, autoresetMode: 'same-step', actionSpace: 'continuous' }, 3, 300, 2);
    assert.ok(ended > 20, `episodes ended: ${ended}`);
  });

  it('2 threads, disabled autoreset with resetMask, imbalance observation and seed reward', () => {
    const { ended } = compare({ numEnvs: 9, maxEpisodeSteps: 40, autoresetMode: 'disabled', observation: 'imbalance', reward: 'seed' }, 2, 250, 3);
    assert.ok(ended > 20, `episodes ended: ${ended}`);
  });

  it('books that outgrow their segment grow per thread (calibrated BTC flow, many arrivals)', () => {
    compare({ numEnvs: 6, market: 'BTC', calibrated: true, traders: { meanHoldingSteps: 400 } }, 2, 300, 4);
  });

  it('rejects a bad numThreads naming the value and the range', () => {
    for (const bad of [0, 1.5, 65, '2', -1]) {
      assert.throws(() => vec({ numEnvs: 100, numThreads: bad }), (e: unknown) => e instanceof InvalidArgumentError && /numThreads must be an integer in \[1, 64\]/.test(e.message));
    }
    assert.throws(() => vec({ numEnvs: 3, numThreads: 4 }), (e: unknown) => e instanceof InvalidArgumentError && /\[1, 3\].*got 4/.test(e.message));
  });

  it('checks actions and resets for all rows on the main thread, with global sub-env indices', () => {
    const env = vec({ numEnvs: 8, numThreads: 2 });
    try {
      assert.throws(() => env.step(new Int32Array(8)), ResetNeeded);
      env.reset({ seed: 5 });
      const actions = new Int32Array(8);
      actions[6] = 9;
      assert.throws(() => env.step(actions), (e: unknown) => e instanceof InvalidActionError && /sub-env 6/.test(e.message));
      actions[6] = 0;
      env.step(actions);
    } finally {
      env.close();
    }
    assert.throws(() => env.step(new Int32Array(8)), (e: unknown) => e instanceof ClosedEnvironmentError && /after close/.test(e.message));
    env.close();
  });

  it("rethrows a worker's error on the main thread as the same class", () => {
    // an oracle this volatile overflows exp() within a few steps on every row
    const kwargs = { numEnvs: 4, oracle: { kind: 'gbm', volatility: 1e5 } };
    const one = vec(kwargs);
    const many = vec({ ...kwargs, numThreads: 2 });
    try {
      one.reset({ seed: 1 });
      many.reset({ seed: 1 });
      const hold = new Int32Array(4);
      const run = (env: DriftVammVectorEnv) => { for (let t = 0; t < 10_000; t++) env.step(hold); };
      assert.throws(() => run(one), (e: unknown) => e instanceof InvalidArgumentError && /oraclePriceRaw must be finite/.test(e.message));
      assert.throws(() => run(many), (e: unknown) => e instanceof InvalidArgumentError && /oraclePriceRaw must be finite/.test(e.message));
    } finally {
      many.close();
    }
  });

  it('a worker whose module fails to load or whose setup throws fails the constructor with its error', () => {
    const missing = new URL('./fixtures/no-such-shard.ts', import.meta.url).href;
    assert.throws(() => new ShardThreads(missing, [null], 'test env'), /no-such-shard/);
    const failing = new URL('./fixtures/failingShard.ts', import.meta.url).href;
    assert.throws(() => new ShardThreads(failing, [{ reason: 'refused' }], 'test env', (name, message) => new RangeError(`${name}: ${message}`)),
      (e: unknown) => e instanceof RangeError && /TypeError: setup refused/.test(e.message));
  });

  it('a process that never calls close() still exits', () => {
    const code = `
      import { make } from './env/core/index.js';
      import './env/tasks/builtin.js';
      const env = make('drift-vamm-v0', { numEnvs: 16, numThreads: 2 });
      env.reset({ seed: 1 });
      for (let t = 0; t < 20; t++) env.step(new Int32Array(16));
      console.log('stepped');`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: new URL('..', import.meta.url), timeout: 60_000, encoding: 'utf8' });
    assert.equal(run.signal, null, `killed after 60 s: ${run.stderr}`);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /stepped/);
  });
});
