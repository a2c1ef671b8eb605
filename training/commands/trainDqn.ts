/**
 * `damm-gym train dqn`: DQN (agents/deep/dqn.ts) on any registered env with Box observations and
 * Discrete actions. Writes under the run directory (default runs/dqn-<env>-seed<seed>):
 *
 *     config.json        the command, env, env options, preset, every hyper-parameter, backend
 *     evaluations.csv    the evaluation callback (rewritten after each evaluation)
 *     episodes.csv       training episodes (return, length, ε)
 *     policy.json, model/          the final greedy policy (`damm-gym evaluate --policy <run dir>`)
 *     best/policy.json, best/model/  the best policy by the evaluation callback
 *     checkpoint/        with --checkpoint-every N: the latest resume point (episode boundaries)
 *
 * `--resume <run dir or checkpoint dir>` continues a run from its checkpoint with the saved
 * configuration and ends with the same weights as an uninterrupted run.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { Env } from '../../env/core/env.js';
import { InvalidArgumentError, describeValue } from '../../env/core/errors.js';
import { validateSeed } from '../../env/core/rng.js';
import { make } from '../../env/core/registration/registry.js';
import '../../env/tasks/builtin.js';
import { AgentConfigError } from '../../agents/errors.js';
import { initTfjsBackend } from '../../agents/deep/backend.js';
import { isDqnCheckpoint, readDqnCheckpoint, writeDqnCheckpoint, type DqnSnapshot } from '../../agents/deep/checkpoint.js';
import {
  DQN_EVAL_SEED_BASE, DQN_PRESETS, DQN_PRESET_NAMES, resolveDqnConfig, trainDqn,
  type DqnConfig, type DqnEpisodeStats, type DqnEvaluation, type DqnPresetName, type DqnResult,
} from '../../agents/deep/dqn.js';
import { saveDqnPolicy } from '../../agents/deep/dqnPolicy.js';
import { parseEnvOptions } from '../envOptions.js';
import { writeFileAtomic } from '../files.js';
import { toJson } from '../output.js';
import { progressBar } from '../progress.js';

/** Hyper-parameter flags and the DqnConfig field each sets. */
const HYPER_FLAGS = {
  'learning-rate': 'learningRate',
  'buffer-size': 'bufferSize',
  'learning-starts': 'learningStarts',
  'batch-size': 'batchSize',
  tau: 'tau',
  gamma: 'gamma',
  'train-freq': 'trainFreq',
  'gradient-steps': 'gradientSteps',
  'target-update-interval': 'targetUpdateInterval',
  'exploration-fraction': 'explorationFraction',
  'exploration-initial-eps': 'explorationInitialEps',
  'exploration-final-eps': 'explorationFinalEps',
  'max-grad-norm': 'maxGradNorm',
} as const satisfies Record<string, keyof DqnConfig>;

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_m, ch: string) => ch.toUpperCase());
const FIELD_TO_FLAG = new Map<string, string>([
  ...Object.entries(HYPER_FLAGS).map(([flag, field]) => [field, `--${flag}`] as [string, string]),
  ['netArch', '--net-arch'], ['doubleQ', '--double'], ['normalizeObservations', '--normalize-obs'], ['seed', '--seed'],
  ['activation', '--preset'], ['clipObservations', '--preset'],
]);

export interface TrainDqnArgs {
  env?: string;
  steps?: number;
  seed?: number;
  envOptions?: string;
  preset?: string;
  double?: boolean;
  normalizeObs?: boolean;
  netArch?: string;
  evalFreq?: number;
  evalEpisodes?: number;
  checkpointEvery?: number;
  resume?: string;
  out?: string;
  json?: boolean;
  learningRate?: number;
  bufferSize?: number;
  learningStarts?: number;
  batchSize?: number;
  tau?: number;
  gamma?: number;
  trainFreq?: number;
  gradientSteps?: number;
  targetUpdateInterval?: number;
  explorationFraction?: number;
  explorationInitialEps?: number;
  explorationFinalEps?: number;
  maxGradNorm?: number;
}

/** What config.json records and `--resume` reads back. */
interface RunSettings {
  readonly env: string;
  readonly envOptions: Record<string, unknown>;
  readonly preset: DqnPresetName;
  readonly steps: number;
  readonly dqn: DqnConfig;
  readonly evalFreq: number;
  readonly evalEpisodes: number;
  readonly evalSeeds: number[];
  readonly checkpointEvery: number | null;
}

export interface TrainDqnResult {
  readonly env: string;
  readonly runDir: string;
  readonly policyPath: string;
  readonly bestPolicyPath: string | null;
  readonly checkpointDir: string | null;
  readonly backend: string;
  readonly preset: DqnPresetName;
  readonly seed: number;
  readonly steps: number;
  readonly resumedFrom: number | null;
  readonly gradientUpdates: number;
  readonly episodes: number;
  /** Mean return of the last 10 % of training episodes (ε-greedy behaviour). */
  readonly meanTrainReturnLast10Pct: number | null;
  readonly lastEvaluation: DqnEvaluation | null;
  readonly best: { step: number; meanReturn: number } | null;
  /** Wall seconds of this process, and of the whole run across resumes. */
  readonly seconds: number;
  readonly totalSeconds: number;
  readonly stepsPerSec: number;
}

function positiveIntFlag(flag: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || v < 1) throw new InvalidArgumentError(`--${flag}: got ${describeValue(v)}; allowed: a positive integer`);
  return v;
}

function parseNetArch(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const units = text.split(',').map((s) => s.trim());
  if (units.length === 0 || !units.every((u) => /^\d+$/.test(u) && Number(u) > 0)) {
    throw new InvalidArgumentError(`--net-arch: got ${JSON.stringify(text)}; allowed: comma-separated positive layer sizes, e.g. 64,64`);
  }
  return units.map(Number);
}

/** The DqnConfig fields the flags set (undefined: not given). */
function flagConfig(args: TrainDqnArgs): Partial<DqnConfig> {
  const out: Partial<DqnConfig> = {};
  for (const [flag, field] of Object.entries(HYPER_FLAGS)) {
    const v = (args as Record<string, unknown>)[camel(flag)];
    if (v !== undefined) (out as Record<string, unknown>)[field] = v;
  }
  const netArch = parseNetArch(args.netArch);
  if (netArch !== undefined) out.netArch = netArch;
  if (args.double !== undefined) out.doubleQ = args.double;
  if (args.normalizeObs !== undefined) out.normalizeObservations = args.normalizeObs;
  if (args.seed !== undefined) out.seed = validateSeed(args.seed, '--seed');
  return out;
}

function resolveConfigFromFlags(preset: DqnPresetName, fromFlags: Partial<DqnConfig>): DqnConfig {
  try {
    return resolveDqnConfig({ ...DQN_PRESETS[preset].config, ...fromFlags });
  } catch (err) {
    if (err instanceof AgentConfigError) {
      throw new InvalidArgumentError(`${FIELD_TO_FLAG.get(err.field) ?? err.field}: got ${describeValue(err.value)}; allowed: ${err.expected}`, { cause: err });
    }
    throw err;
  }
}

/** Where the run directory and the checkpoint of `--resume <dir>` are. */
function resumePaths(dir: string): { runDir: string; checkpointDir: string } {
  if (isDqnCheckpoint(join(dir, 'checkpoint'))) return { runDir: dir, checkpointDir: join(dir, 'checkpoint') };
  if (isDqnCheckpoint(dir)) return { runDir: dirname(dir), checkpointDir: dir };
  // killed during the instant writeDirAtomic swaps checkpoints: the previous one waits under .checkpoint.old-*
  if (existsSync(dir)) {
    const previous = readdirSync(dir).filter((f) => f.startsWith('.checkpoint.old-') && isDqnCheckpoint(join(dir, f)));
    if (previous.length > 0) return { runDir: dir, checkpointDir: join(dir, previous.sort().at(-1)!) };
  }
  throw new InvalidArgumentError(`--resume ${dir}: neither a DQN run directory with a checkpoint/ nor a checkpoint directory (state.json + model.json); runs write one with --checkpoint-every N`);
}

function readSettings(runDir: string): RunSettings {
  const path = join(runDir, 'config.json');
  if (!existsSync(path)) throw new InvalidArgumentError(`--resume: ${path} is missing; the run directory's config.json names the env and evaluation settings`);
  const json = JSON.parse(readFileSync(path, 'utf8')) as Partial<RunSettings> & { algorithm?: string };
  if (json.algorithm !== 'dqn' || typeof json.env !== 'string' || typeof json.steps !== 'number' || json.dqn === undefined) {
    throw new InvalidArgumentError(`--resume: ${path} is not the config.json of a train dqn run (needs algorithm "dqn", env, steps, dqn)`);
  }
  return json as RunSettings;
}

/** A resumed run keeps its configuration: any flag that would change it is an error, not ignored. */
function checkResumeFlags(args: TrainDqnArgs, saved: RunSettings): void {
  const given = flagConfig(args);
  for (const [field, value] of Object.entries(given)) {
    const was = (saved.dqn as unknown as Record<string, unknown>)[field];
    if (JSON.stringify(was) !== JSON.stringify(value)) {
      throw new InvalidArgumentError(`${FIELD_TO_FLAG.get(field) ?? field} ${JSON.stringify(value)} conflicts with the resumed run's ${field} ${JSON.stringify(was)}; a resumed run keeps its configuration (drop the flag)`);
    }
  }
  const same: [string, unknown, unknown][] = [
    ['--env', args.env, saved.env], ['--steps', args.steps, saved.steps], ['--preset', args.preset, saved.preset],
    ['--eval-freq', args.evalFreq, saved.evalFreq], ['--eval-episodes', args.evalEpisodes, saved.evalEpisodes],
    ['--env-options', args.envOptions === undefined ? undefined : parseEnvOptions(args.envOptions), saved.envOptions],
  ];
  for (const [flag, value, was] of same) {
    if (value !== undefined && JSON.stringify(value) !== JSON.stringify(was)) {
      throw new InvalidArgumentError(`${flag} ${JSON.stringify(value)} conflicts with the resumed run's ${JSON.stringify(was)}; a resumed run keeps its configuration (drop the flag)`);
    }
  }
}

function evaluationsCsv(evaluations: readonly DqnEvaluation[]): string {
  const rows = evaluations.map((e) => [e.step, e.gradientUpdates, e.meanReturn, e.stdReturn, e.meanLength, e.returns.join(' ')].join(','));
  return `step,gradient_updates,mean_return,std_return,mean_length,returns\n${rows.map((r) => `${r}\n`).join('')}`;
}

function episodesCsv(episodes: readonly DqnEpisodeStats[]): string {
  return `episode,step,return,length,terminated,epsilon\n${episodes.map((e) => `${e.episode},${e.step},${e.return},${e.length},${e.terminated ? 1 : 0},${e.epsilon}\n`).join('')}`;
}

/** Train (or resume) DQN; writes the run directory. */
export async function trainDqnRun(args: TrainDqnArgs, quiet = false): Promise<TrainDqnResult> {
  // every flag is checked before the backend loads or anything is written
  let settings: RunSettings;
  let runDir: string;
  let checkpointDir: string | null;
  let resumeFrom: string | null = null;
  let settingsFile = '';
  if (args.resume !== undefined) {
    const paths = resumePaths(args.resume);
    settings = readSettings(paths.runDir);
    settingsFile = join(paths.runDir, 'config.json');
    checkResumeFlags(args, settings);
    runDir = args.out ?? paths.runDir;
    resumeFrom = paths.checkpointDir;
    const every = positiveIntFlag('checkpoint-every', args.checkpointEvery) ?? settings.checkpointEvery;
    settings = { ...settings, checkpointEvery: every };
    checkpointDir = every === null ? null : join(runDir, 'checkpoint');
  } else {
    const preset = (args.preset ?? 'sb3') as DqnPresetName;
    if (!DQN_PRESET_NAMES.includes(preset)) throw new InvalidArgumentError(`--preset: got ${JSON.stringify(args.preset)}; allowed: ${DQN_PRESET_NAMES.join(', ')}`);
    const dqn = resolveConfigFromFlags(preset, flagConfig(args));
    const evalEpisodes = positiveIntFlag('eval-episodes', args.evalEpisodes) ?? 10;
    const steps = positiveIntFlag('steps', args.steps) ?? DQN_PRESETS[preset].steps;
    settings = {
      env: args.env ?? 'drift-vamm-v0',
      envOptions: parseEnvOptions(args.envOptions),
      preset,
      steps,
      dqn,
      evalFreq: positiveIntFlag('eval-freq', args.evalFreq) ?? 10_000,
      evalEpisodes,
      evalSeeds: Array.from({ length: evalEpisodes }, (_, i) => DQN_EVAL_SEED_BASE + i),
      checkpointEvery: positiveIntFlag('checkpoint-every', args.checkpointEvery) ?? null,
    };
    runDir = args.out ?? join('runs', `dqn-${settings.env}-seed${dqn.seed}`);
    checkpointDir = settings.checkpointEvery === null ? null : join(runDir, 'checkpoint');
  }
  const makeEnv = () => make(settings.env, { ...settings.envOptions }) as Env<unknown, unknown>;
  const env = makeEnv();
  const evalEnv = makeEnv();

  const backend = await initTfjsBackend();
  const snapshot = resumeFrom === null ? null : await readDqnCheckpoint(resumeFrom);
  const name = basename(runDir);
  const meta = { envId: settings.env, envSpec: { kwargs: settings.envOptions } };
  const policyConfig = { algorithm: 'dqn', env: settings.env, preset: settings.preset, steps: settings.steps, ...settings.dqn };
  // a resumed run keeps its config.json, unless it continues into another directory (--out)
  if (!existsSync(join(runDir, 'config.json')) || resumeFrom === null) {
    writeFileAtomic(join(runDir, 'config.json'), toJson({ command: ['damm-gym', ...process.argv.slice(2)], algorithm: 'dqn', ...settings, backend }));
  }

  if (snapshot !== null && JSON.stringify(snapshot.state.config) !== JSON.stringify(settings.dqn)) {
    throw new InvalidArgumentError(`--resume: the checkpoint ${resumeFrom} was written with another configuration than ${settingsFile} records; it belongs to another run`);
  }
  if (resumeFrom === null) {
    // a fresh run in an old run directory: an old checkpoint must not be resumed with this run's config
    for (const f of existsSync(runDir) ? readdirSync(runDir) : []) {
      if (f === 'checkpoint' || f.startsWith('.checkpoint.')) rmSync(join(runDir, f), { recursive: true, force: true });
    }
  }
  const startStep = snapshot?.state.step ?? 0;
  const bar = progressBar('dqn', settings.steps - startStep, Boolean(args.json) || quiet);
  let result: DqnResult;
  try {
    result = await trainDqn(env, settings.dqn, {
      totalTimesteps: settings.steps,
      evalEnv,
      evalFreq: settings.evalFreq,
      nEvalEpisodes: settings.evalEpisodes,
      evalSeeds: settings.evalSeeds,
      backend,
      ...(snapshot === null ? {} : { resume: { snapshot, source: resumeFrom! } }),
      ...(checkpointDir === null ? {} : { checkpointEvery: settings.checkpointEvery!, onCheckpoint: (s: DqnSnapshot) => writeDqnCheckpoint(checkpointDir, s) }),
      onEvaluation: async (_e, isBest, agent, all) => {
        if (isBest) await saveDqnPolicy(join(runDir, 'best'), agent.policy(`${name}-best`, policyConfig), meta);
        writeFileAtomic(join(runDir, 'evaluations.csv'), evaluationsCsv(all));
      },
      onStep: () => bar.tick(),
    });
  } finally {
    bar.stop();
    env.close();
    evalEnv.close();
  }
  const policyPath = await saveDqnPolicy(runDir, result.agent.policy(name, policyConfig), meta);
  writeFileAtomic(join(runDir, 'episodes.csv'), episodesCsv(result.episodes));
  result.agent.dispose();
  const tail = result.episodes.slice(Math.floor(result.episodes.length * 0.9));
  const bestPath = join(runDir, 'best', 'policy.json');
  return {
    env: settings.env,
    runDir,
    policyPath,
    bestPolicyPath: result.best !== null && existsSync(bestPath) ? bestPath : null,
    checkpointDir,
    backend,
    preset: settings.preset,
    seed: settings.dqn.seed,
    steps: result.steps,
    resumedFrom: result.resumedFrom,
    gradientUpdates: result.agent.gradientUpdates,
    episodes: result.episodes.length,
    meanTrainReturnLast10Pct: tail.length === 0 ? null : tail.reduce((a, e) => a + e.return, 0) / tail.length,
    lastEvaluation: result.evaluations.at(-1) ?? null,
    best: result.best === null ? null : { step: result.best.step, meanReturn: result.best.meanReturn },
    seconds: result.seconds,
    totalSeconds: result.totalSeconds,
    stepsPerSec: (result.steps - startStep) / result.seconds,
  };
}

const fmt = (x: number) => (Math.abs(x) >= 1000 ? x.toFixed(0) : x.toFixed(2));

/** The plain summary line (backend, speed, last evaluation). */
export function dqnSummaryLine(r: TrainDqnResult): string {
  const e = r.lastEvaluation;
  const evalText = e === null
    ? 'no evaluation'
    : `last evaluation (step ${e.step}, ${e.returns.length} episodes) ${fmt(e.meanReturn)} ± ${fmt(e.stdReturn)}` + (r.best === null ? '' : `, best ${fmt(r.best.meanReturn)} at step ${r.best.step}`);
  const resumed = r.resumedFrom === null ? '' : ` (resumed from step ${r.resumedFrom})`;
  return `train dqn: ${r.env}, ${r.steps} steps${resumed} in ${r.seconds.toFixed(1)} s (${r.stepsPerSec.toFixed(0)} steps/s, ${r.gradientUpdates} gradient updates) on tfjs backend ${r.backend}; ${evalText}; policy ${r.policyPath}`;
}

/** The `train dqn` subcommand, registered by train.ts. */
export const trainDqnCommand: CommandModule = {
  command: 'dqn',
  describe: 'DQN (SB3/CleanRL) on an env with Box observations and Discrete actions; writes runs/dqn-<env>-seed<seed>/{config.json,evaluations.csv,episodes.csv,policy.json,model/,best/,checkpoint/}',
  builder: (c: Argv) => c
    .option('env', { type: 'string', describe: 'registered env id (default drift-vamm-v0)' })
    .option('steps', { type: 'number', describe: 'env steps of training (default: the preset\'s)' })
    .option('seed', { type: 'number', describe: 'seeds the env, network init, exploration and replay sampling (default 1)' })
    .option('env-options', { type: 'string', describe: 'make() kwargs as JSON, e.g. \'{"observation":"imbalance"}\'' })
    .option('preset', { choices: DQN_PRESET_NAMES, describe: `hyper-parameters: ${DQN_PRESET_NAMES.map((p) => `${p} (${DQN_PRESETS[p].description})`).join('; ')} (default sb3)` })
    .option('double', { type: 'boolean', describe: 'Double DQN target (default off, as SB3)' })
    .option('normalize-obs', { type: 'boolean', describe: 'running mean/std observation normalisation, clipped to ±10 (VecNormalize)' })
    .option('net-arch', { type: 'string', describe: 'hidden layer sizes, comma-separated (default 64,64)' })
    .option('learning-rate', { type: 'number', describe: 'Adam step size (SB3 1e-4)' })
    .option('buffer-size', { type: 'number', describe: 'replay capacity (SB3 1e6)' })
    .option('learning-starts', { type: 'number', describe: 'random steps before learning (SB3 100)' })
    .option('batch-size', { type: 'number', describe: 'minibatch size (SB3 32)' })
    .option('tau', { type: 'number', describe: 'target update coefficient, 1 = hard copy (SB3 1)' })
    .option('gamma', { type: 'number', describe: 'discount factor (SB3 0.99)' })
    .option('train-freq', { type: 'number', describe: 'env steps between training rounds (SB3 4)' })
    .option('gradient-steps', { type: 'number', describe: 'gradient updates per round, -1 = train-freq (SB3 1)' })
    .option('target-update-interval', { type: 'number', describe: 'env steps between target updates (SB3 10000)' })
    .option('exploration-fraction', { type: 'number', describe: 'fraction of training over which ε falls (SB3 0.1)' })
    .option('exploration-initial-eps', { type: 'number', describe: 'initial ε (SB3 1)' })
    .option('exploration-final-eps', { type: 'number', describe: 'final ε (SB3 0.05)' })
    .option('max-grad-norm', { type: 'number', describe: 'global gradient-norm clip (SB3 10)' })
    .option('eval-freq', { type: 'number', describe: 'env steps between evaluations (default 10000; the last step is always evaluated)' })
    .option('eval-episodes', { type: 'number', describe: `greedy episodes per evaluation, seeds ${DQN_EVAL_SEED_BASE} + i (default 10)` })
    .option('checkpoint-every', { type: 'number', describe: 'write <run dir>/checkpoint at the first episode end after every N steps' })
    .option('resume', { type: 'string', describe: 'continue the run in this run directory (or checkpoint directory) with its saved configuration' })
    .option('out', { type: 'string', describe: 'run directory (default runs/dqn-<env>-seed<seed>; with --resume, the resumed run\'s)' }),
  handler: async (argv) => {
    const r = await trainDqnRun(argv as unknown as TrainDqnArgs);
    if ((argv as { json?: boolean }).json) process.stdout.write(`${toJson(r)}\n`);
    else console.log(dqnSummaryLine(r));
  },
};
