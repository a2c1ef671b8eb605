/**
 * Evaluates policies on fresh envs with common random numbers: every policy plays the same env
 * seeds, and its `reset(rng)` gets the same seed-derived RNG, so differences between policies are
 * not seed luck. Reports per policy the mean, the IQM and a stratified-bootstrap 95 % CI of the IQM
 * (rliable, rl-conventions.md §4.3–4.4), plus one row per episode for CSV.
 *
 * Seeds: episode 0 of seed s resets the env with s itself; episode e ≥ 1 with a seed hashed from
 * (s, e) by `SeedSequence`, so each episode is reproducible on its own. The policy RNG of an
 * episode is the first child stream of `new Rng(envSeed)` (independent of the env's stream).
 */
import type { Env, Info } from '../env/core/env.js';
import { Rng, SeedSequence, validateSeed } from '../env/core/rng.js';
import { InvalidArgumentError, describeValue } from '../env/core/errors.js';
import type { Policy } from '../agents/policy.js';
import { bootstrapCI, iqm, mean, probabilityOfImprovementCI } from './stats.js';

/** 10 seeds far from the training seeds (which start at 0 or 1), as rl-conventions.md §4.4 asks. */
export const DEFAULT_EVAL_SEEDS: readonly number[] = Object.freeze(Array.from({ length: 10 }, (_, i) => 10_000 + i));

/**
 * A per-episode figure besides the return, folded over the step infos (e.g. fees, adjustment costs,
 * tracking error). `create` gives a fresh accumulator for each episode.
 */
export interface EpisodeMetric {
  readonly name: string;
  create(): { step(info: Info, reward: number): void; value(): number };
}

export interface EvaluateOptions {
  /** Env seeds (default `DEFAULT_EVAL_SEEDS`, 10 000 … 10 009). */
  seeds?: readonly number[];
  /** Episodes per seed (default 1). */
  episodesPerSeed?: number;
  /** Cap on steps per episode; reaching it counts as a truncation. */
  maxSteps?: number;
  /** Called after every episode (progress, streaming CSV). */
  onEpisode?: (row: EpisodeRow) => void;
  /** Bootstrap replications for the CIs (default 2000). */
  reps?: number;
  /** Seed of the bootstrap RNG (default 0). */
  bootstrapSeed?: number;
  /** Extra per-episode figures (reported per episode and as means per policy). */
  metrics?: readonly EpisodeMetric[];
}

export interface EpisodeRow {
  readonly policy: string;
  /** The evaluation seed this episode belongs to. */
  readonly seed: number;
  /** 0-based episode index within the seed. */
  readonly episode: number;
  /** The seed the env was reset with (`episodeSeed(seed, episode)`). */
  readonly envSeed: number;
  readonly return: number;
  readonly length: number;
  readonly terminated: boolean;
  readonly truncated: boolean;
  /** The `metrics` values of this episode, by name (empty without metrics). */
  readonly metrics: Readonly<Record<string, number>>;
}

export interface PolicyEvaluation {
  /** The policy's name. */
  readonly policy: string;
  /** Undiscounted return per episode, seed-major (all episodes of seeds[0] first). */
  readonly returns: number[];
  readonly lengths: number[];
  readonly mean: number;
  readonly iqm: number;
  /** 95 % stratified-bootstrap percentile CI of the IQM. */
  readonly ci95: [lo: number, hi: number];
  /** 95 % bootstrap CI of the mean. */
  readonly meanCi95: [lo: number, hi: number];
  readonly meanLength: number;
  /** Mean of each metric over the episodes. */
  readonly metricMeans: Readonly<Record<string, number>>;
}

export interface EvaluationResult {
  readonly policies: PolicyEvaluation[];
  /** Every episode of every policy, in play order. */
  readonly episodes: EpisodeRow[];
  readonly seeds: number[];
  readonly episodesPerSeed: number;
}

/** The env seed of episode `episode` of evaluation seed `seed`. */
export function episodeSeed(seed: number, episode: number): number {
  if (episode === 0) return seed;
  const w = new SeedSequence(seed, [episode]).generateState(2);
  return (w[0]! & 0x1fffff) * 4294967296 + w[1]!;
}

/** The RNG handed to `policy.reset` for an episode played with env seed `envSeed`. */
export function policyRng(envSeed: number): Rng {
  return new Rng(new SeedSequence(envSeed, [0]));
}

export function evaluatePolicies<O, A>(
  makeEnv: () => Env<O, A>,
  policies: readonly Policy<O, A>[],
  options: EvaluateOptions = {},
): EvaluationResult {
  const seeds = [...(options.seeds ?? DEFAULT_EVAL_SEEDS)];
  const episodesPerSeed = options.episodesPerSeed ?? 1;
  const maxSteps = options.maxSteps ?? Infinity;
  if (seeds.length === 0) throw new InvalidArgumentError('evaluatePolicies: seeds must not be empty');
  seeds.forEach((s, i) => validateSeed(s, `evaluatePolicies seeds[${i}]`));
  if (!Number.isSafeInteger(episodesPerSeed) || episodesPerSeed < 1) {
    throw new InvalidArgumentError(`evaluatePolicies: episodesPerSeed must be a positive integer, got ${describeValue(episodesPerSeed)}`);
  }
  if (options.maxSteps !== undefined && !(Number.isSafeInteger(options.maxSteps) && options.maxSteps > 0)) {
    throw new InvalidArgumentError(`evaluatePolicies: maxSteps must be a positive integer, got ${describeValue(options.maxSteps)}`);
  }
  if (policies.length === 0) throw new InvalidArgumentError('evaluatePolicies: no policies given');
  const names = new Set<string>();
  for (const p of policies) {
    if (names.has(p.name)) throw new InvalidArgumentError(`evaluatePolicies: two policies are named '${p.name}'; names key the results and must be unique`);
    names.add(p.name);
  }

  const episodes: EpisodeRow[] = [];
  const results: PolicyEvaluation[] = [];
  for (const policy of policies) {
    const env = makeEnv();
    const returns: number[] = [];
    const lengths: number[] = [];
    const metricValues: Record<string, number[]> = Object.fromEntries((options.metrics ?? []).map((m) => [m.name, []]));
    try {
      for (const seed of seeds) {
        for (let episode = 0; episode < episodesPerSeed; episode++) {
          const envSeed = episodeSeed(seed, episode);
          const row = playEpisode(env, policy, envSeed, maxSteps, options.metrics ?? []);
          const full: EpisodeRow = { policy: policy.name, seed, episode, envSeed, ...row };
          for (const [name, v] of Object.entries(row.metrics)) metricValues[name]!.push(v);
          returns.push(row.return);
          lengths.push(row.length);
          episodes.push(full);
          options.onEpisode?.(full);
        }
      }
    } finally {
      env.close();
    }
    const bootstrap = { reps: options.reps, seed: options.bootstrapSeed ?? 0 };
    const iqmCi = bootstrapCI(returns, iqm, bootstrap);
    const meanCi = bootstrapCI(returns, mean, bootstrap);
    results.push({
      policy: policy.name,
      returns,
      lengths,
      mean: mean(returns),
      iqm: iqmCi.point,
      ci95: [iqmCi.lo, iqmCi.hi],
      meanCi95: [meanCi.lo, meanCi.hi],
      meanLength: mean(lengths),
      metricMeans: Object.fromEntries(Object.entries(metricValues).map(([name, v]) => [name, mean(v)])),
    });
  }
  return { policies: results, episodes, seeds, episodesPerSeed };
}

function playEpisode<O, A>(
  env: Env<O, A>,
  policy: Policy<O, A>,
  envSeed: number,
  maxSteps: number,
  metrics: readonly EpisodeMetric[],
): { return: number; length: number; terminated: boolean; truncated: boolean; metrics: Record<string, number> } {
  let [obs, info]: [O, Info] = env.reset({ seed: envSeed });
  policy.reset?.(policyRng(envSeed));
  const accumulators = metrics.map((m) => m.create());
  let total = 0;
  let length = 0;
  for (;;) {
    const [next, reward, terminated, truncated, nextInfo] = env.step(policy.act(obs, info));
    total += reward;
    length++;
    for (const a of accumulators) a.step(nextInfo, reward);
    if (terminated || truncated || length >= maxSteps) {
      const values = Object.fromEntries(metrics.map((m, i) => [m.name, accumulators[i]!.value()]));
      return { return: total, length, terminated, truncated: !terminated, metrics: values };
    }
    obs = next;
    info = nextInfo;
  }
}

export interface ImprovementEstimate {
  readonly policy: string;
  readonly baseline: string;
  /** P(return of `policy` > return of `baseline`) on a random evaluation episode, ties counting ½. */
  readonly probabilityOfImprovement: number;
  readonly ci95: [lo: number, hi: number];
}

/**
 * rliable's probability of improvement of every other policy over `baseline`, with a bootstrap 95 %
 * CI (returns of both policies resampled independently).
 */
export function compareToBaseline(
  result: EvaluationResult,
  baseline: string,
  options: { reps?: number; bootstrapSeed?: number } = {},
): ImprovementEstimate[] {
  const base = result.policies.find((p) => p.policy === baseline);
  if (base === undefined) {
    throw new InvalidArgumentError(
      `compareToBaseline: no policy named '${baseline}' in the evaluation; evaluated: ${result.policies.map((p) => `'${p.policy}'`).join(', ')}`,
    );
  }
  return result.policies
    .filter((p) => p !== base)
    .map((p) => {
      const ci = probabilityOfImprovementCI([p.returns], [base.returns], { reps: options.reps, seed: options.bootstrapSeed ?? 0 });
      return { policy: p.policy, baseline, probabilityOfImprovement: ci.point, ci95: [ci.lo, ci.hi] };
    });
}

const CSV_COLUMNS = ['policy', 'seed', 'episode', 'envSeed', 'return', 'length', 'terminated', 'truncated'] as const;

/** Episode rows as CSV (header line, then one line per row; policy names quoted when needed). */
export function episodesToCsv(rows: readonly EpisodeRow[]): string {
  const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const metricNames = rows.length === 0 ? [] : Object.keys(rows[0]!.metrics);
  const lines = [[...CSV_COLUMNS, ...metricNames].join(',')];
  for (const r of rows) {
    const cells = CSV_COLUMNS.map((c) => (c === 'policy' ? quote(r.policy) : String(r[c])));
    lines.push([...cells, ...metricNames.map((m) => String(r.metrics[m]))].join(','));
  }
  return lines.join('\n') + '\n';
}
