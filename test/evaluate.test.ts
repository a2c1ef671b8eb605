import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, InvalidArgumentError, InvalidSeedError } from '../env/core/index.js';
import { NoopPolicy, RandomPolicy, type Policy } from '../agents/index.js';
import { evaluatePolicies, compareToBaseline, episodeSeed, policyRng, episodesToCsv, DEFAULT_EVAL_SEEDS, type EpisodeRow } from '../training/evaluate.js';
import { bootstrapCI, iqm, mean } from '../training/stats.js';
import { ChainEnv, cartPole } from './agents-fixtures.js';

/** Push the cart towards where the pole is falling (the sign of its angular velocity). */
const angularVelocityPolicy: Policy<Float32Array, number> = { name: 'push-with-pole', act: (obs) => (obs[3]! > 0 ? 1 : 0) };

test('CartPole: the angular-velocity hand policy beats random with disjoint 95 % CIs', () => {
  const result = evaluatePolicies(cartPole, [new RandomPolicy(cartPole().actionSpace), angularVelocityPolicy]);
  assert.deepEqual(result.seeds, [...DEFAULT_EVAL_SEEDS]);
  assert.deepEqual(result.seeds, Array.from({ length: 10 }, (_, i) => 10_000 + i));
  const [random, hand] = result.policies;
  assert.equal(random!.policy, 'random');
  assert.equal(hand!.policy, 'push-with-pole');
  assert.equal(random!.returns.length, 10);
  assert.ok(hand!.iqm > 2 * random!.iqm, `hand ${hand!.iqm} vs random ${random!.iqm}`);
  assert.ok(hand!.ci95[0] > random!.ci95[1], `CIs overlap: hand ${hand!.ci95}, random ${random!.ci95}`);
  for (const p of result.policies) {
    assert.equal(p.mean, mean(p.returns));
    assert.equal(p.iqm, iqm(p.returns));
    const ci = bootstrapCI(p.returns, iqm, { seed: 0 });
    assert.deepEqual(p.ci95, [ci.lo, ci.hi]);
    assert.ok(p.ci95[0] <= p.iqm && p.iqm <= p.ci95[1]);
    assert.ok(p.meanCi95[0] <= p.mean && p.mean <= p.meanCi95[1]);
    assert.equal(p.meanLength, mean(p.lengths)); // CartPole pays 1 per step
    assert.deepEqual(p.lengths, p.returns);
  }
  const [vsRandom] = compareToBaseline(result, 'random', { reps: 500 });
  assert.equal(vsRandom!.policy, 'push-with-pole');
  assert.equal(vsRandom!.probabilityOfImprovement, 1); // every hand episode outlasts every random one
  assert.deepEqual(vsRandom!.ci95, [1, 1]);
  assert.throws(() => compareToBaseline(result, 'noop'), /no policy named 'noop'.*'random', 'push-with-pole'/);
  // Reproducible run to run.
  assert.deepEqual(evaluatePolicies(cartPole, [new RandomPolicy(cartPole().actionSpace), angularVelocityPolicy]), result);
});

test('common random numbers: every policy sees the same env seeds and the same policy RNG', () => {
  const space = cartPole().actionSpace;
  const result = evaluatePolicies(cartPole, [new RandomPolicy(space, { name: 'a' }), new RandomPolicy(space, { name: 'b' })], { seeds: [1, 2, 3], episodesPerSeed: 2 });
  const [a, b] = result.policies;
  assert.deepEqual(a!.returns, b!.returns);
  const rows = (name: string) => result.episodes.filter((r) => r.policy === name).map(({ policy: _p, ...rest }) => rest);
  assert.deepEqual(rows('a'), rows('b'));
  assert.deepEqual(rows('a').map((r) => [r.seed, r.episode]), [[1, 0], [1, 1], [2, 0], [2, 1], [3, 0], [3, 1]]);
});

test('episode seeds: the seed itself first, then hashed per episode; policy RNG is seed-derived', () => {
  assert.equal(episodeSeed(10_000, 0), 10_000);
  const later = [1, 2, 3].map((e) => episodeSeed(10_000, e));
  assert.equal(new Set([10_000, ...later]).size, 4);
  assert.deepEqual(later, [1, 2, 3].map((e) => episodeSeed(10_000, e)));
  assert.ok(later.every((s) => Number.isSafeInteger(s) && s >= 0));
  assert.equal(policyRng(5).random(), new Rng(5).spawn(1)[0]!.random());
  assert.notEqual(policyRng(5).random(), new Rng(5).random()); // independent of the env's own stream

  const firstDraws: number[] = [];
  const infos: Readonly<Record<string, unknown>>[] = [];
  let rng: Rng | null = null;
  const recorder: Policy<number, number> = {
    name: 'recorder',
    reset(r) {
      rng = r;
      firstDraws.push(r.clone().random());
    },
    act(_obs, info) {
      infos.push(info);
      return rng!.random() < 2 ? 1 : 0; // always right; consuming the rng must not matter
    },
  };
  const result = evaluatePolicies(() => new ChainEnv(3), [recorder], { seeds: [7, 8], episodesPerSeed: 2 });
  assert.deepEqual(firstDraws, result.episodes.map((r) => policyRng(r.envSeed).random()));
  assert.deepEqual(result.episodes.map((r) => r.envSeed), [7, episodeSeed(7, 1), 8, episodeSeed(8, 1)]);
  // The first action sees the reset info, later ones the last step's info.
  assert.deepEqual(infos.slice(0, 2), [{}, { position: 1 }]);
});

test('maxSteps caps an episode as a truncation; onEpisode streams rows; envs are fresh and closed', () => {
  let made = 0;
  let closed = 0;
  const makeEnv = () => {
    made++;
    const env = new ChainEnv(4);
    env.close = () => void closed++;
    return env;
  };
  const rows: EpisodeRow[] = [];
  const result = evaluatePolicies(makeEnv, [new NoopPolicy(0, { name: 'left' }), new NoopPolicy(1, { name: 'right' })], {
    seeds: [0, 1],
    maxSteps: 7,
    onEpisode: (r) => rows.push(r),
  });
  assert.equal(made, 2);
  assert.equal(closed, 2);
  assert.deepEqual(rows, result.episodes);
  const left = result.episodes.filter((r) => r.policy === 'left');
  assert.ok(left.every((r) => r.length === 7 && r.truncated && !r.terminated && r.return === 0));
  const right = result.episodes.filter((r) => r.policy === 'right');
  assert.ok(right.every((r) => r.length === 3 && r.terminated && !r.truncated && r.return === 1));
  assert.deepEqual(result.policies.map((p) => [p.policy, p.mean, p.iqm, p.ci95, p.meanLength]), [
    ['left', 0, 0, [0, 0], 7],
    ['right', 1, 1, [1, 1], 3],
  ]);
});

test('bad options raise InvalidArgumentError', () => {
  const env = () => new ChainEnv(3);
  const right = new NoopPolicy(1);
  assert.throws(() => evaluatePolicies(env, [right, new NoopPolicy(0)]), /two policies are named 'noop'/);
  assert.throws(() => evaluatePolicies(env, []), InvalidArgumentError);
  assert.throws(() => evaluatePolicies(env, [right], { seeds: [] }), /seeds must not be empty/);
  assert.throws(() => evaluatePolicies(env, [right], { seeds: [-1] }), InvalidSeedError);
  assert.throws(() => evaluatePolicies(env, [right], { episodesPerSeed: 0 }), /episodesPerSeed/);
  assert.throws(() => evaluatePolicies(env, [right], { maxSteps: 1.5 }), /maxSteps/);
});

test('episode rows as CSV', () => {
  const result = evaluatePolicies(() => new ChainEnv(3), [new NoopPolicy(1, { name: 'go, "right"' })], { seeds: [4, 5] });
  assert.equal(
    episodesToCsv(result.episodes),
    'policy,seed,episode,envSeed,return,length,terminated,truncated\n' +
      '"go, ""right""",4,0,4,1,2,true,false\n' +
      '"go, ""right""",5,0,5,1,2,true,false\n',
  );
});

test('episode metrics fold each step\'s info, per episode, into the rows, the CSV and per-policy means', () => {
  const always = (a: number, name: string): Policy<number, number> => ({ name, act: () => a });
  const maxPosition = {
    name: 'maxPosition',
    create() {
      let m = 0;
      return { step: (info: Record<string, unknown>) => { m = Math.max(m, info.position as number); }, value: () => m };
    },
  };
  const stepsTaken = { name: 'steps', create() { let n = 0; return { step: () => { n++; }, value: () => n }; } };
  const result = evaluatePolicies(() => new ChainEnv(4), [always(1, 'right'), always(0, 'left')], {
    seeds: [1, 2], maxSteps: 5, metrics: [maxPosition, stepsTaken],
  });
  const [right, left] = result.policies;
  assert.deepEqual(right!.metricMeans, { maxPosition: 3, steps: 3 });
  assert.deepEqual(left!.metricMeans, { maxPosition: 0, steps: 5 });
  assert.deepEqual(result.episodes.map((e) => e.metrics), [
    { maxPosition: 3, steps: 3 }, { maxPosition: 3, steps: 3 }, { maxPosition: 0, steps: 5 }, { maxPosition: 0, steps: 5 },
  ]);
  const csv = episodesToCsv(result.episodes).split('\n');
  assert.equal(csv[0], 'policy,seed,episode,envSeed,return,length,terminated,truncated,maxPosition,steps');
  assert.equal(csv[1], 'right,1,0,1,1,3,true,false,3,3');
});
