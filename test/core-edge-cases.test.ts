/** Edge cases found in review: seeds from JSON (null), composite-space RNGs, RNG state validation, reset masks. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Discrete, InvalidArgumentError, InvalidRngStateError, make, npRandom, SyncVectorEnv, Tuple,
} from '../env/core/index.js';
import '../env/tasks/builtin.js';

describe('core edge cases', () => {
  it('reset({ seed: null }) does not reseed, like Gymnasium seed=None', () => {
    const a = make('CartPole-v1');
    const b = make('CartPole-v1');
    a.reset({ seed: 3 });
    b.reset({ seed: 3 });
    assert.deepEqual(a.reset({ seed: null })[0], b.reset()[0]);
  });

  it('reading npRandom of a Tuple does not reseed its subspaces', () => {
    const seeded = () => {
      const t = new Tuple([new Discrete(1000), new Discrete(1000)]);
      t.spaces[0].seed(42);
      return t;
    };
    const plain = seeded();
    const touched = seeded();
    void touched.npRandom;
    assert.equal(touched.spaces[0].sample(), plain.spaces[0].sample());
  });

  it('Rng.setState rejects a malformed seed sequence with a typed error', () => {
    const [rng] = npRandom(1);
    const state = rng.getState();
    assert.throws(() => rng.setState({ ...state, seedSequence: { ...state.seedSequence, nChildrenSpawned: -5 } }), InvalidRngStateError);
    const noKey = { ...state, seedSequence: { entropy: state.seedSequence.entropy, nChildrenSpawned: 0 } } as unknown as typeof state;
    assert.throws(() => rng.setState(noKey), InvalidRngStateError);
  });

  it('SyncVectorEnv resetMask rejects values that are not booleans or 0/1, naming the index', () => {
    const vec = new SyncVectorEnv([() => make('CartPole-v1'), () => make('CartPole-v1')], { autoresetMode: 'disabled' });
    vec.reset({ seed: 0 });
    assert.throws(() => vec.reset({ options: { resetMask: ['yes', true] as unknown as boolean[] } }), (e: unknown) => e instanceof InvalidArgumentError && /resetMask\[0\]/.test(e.message));
    assert.throws(() => vec.reset({ options: { resetMask: Uint8Array.of(2, 0) } }), /resetMask\[0\].*2/);
    vec.reset({ options: { resetMask: Uint8Array.of(1, 0) } });
  });
});
