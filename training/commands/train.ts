import { join } from 'node:path';
import type { Argv } from 'yargs';
import { make } from '../../env/core/registration/registry.js';
import { DiscretizeObservation } from '../../env/core/wrappers/discretize-observation.js';
import '../../env/tasks/builtin.js';
import { savePolicy } from '../../agents/persistence.js';
import { trainQLearning, type QLearningConfig } from '../../agents/tabular/qLearning.js';
import { resolveDiscretization, tabularDefaults } from '../discretization.js';
import { loadSeriesFor, MARKET_OPTION, parseEnvOptions, recordableKwargs, withMarket } from '../envOptions.js';
import type { ReplaySeries } from '../../env/tasks/drift-replay/series.js';
import { writeFileAtomic } from '../files.js';
import { toJson } from '../output.js';
import { progressBar } from '../progress.js';
import { trainEmpiricalCommand } from './trainEmpirical.js';
import { trainDqnCommand } from './trainDqn.js';

export interface TrainQArgs {
  env: string;
  /** Default: the env's (tabularDefaults). */
  episodes?: number;
  seed: number;
  out?: string;
  envOptions?: string;
  bins?: string;
  low?: string;
  high?: string;
  gamma?: number;
  learningRate?: number;
  /** Drift market: drift-vamm-v0's preset, or the history drift-replay-v0 replays. */
  market?: string;
  /** drift-replay-v0's history (the command loads it from the data directory). */
  series?: ReplaySeries;
  json: boolean;
}

export interface TrainQResult {
  readonly runDir: string;
  readonly policyPath: string;
  readonly episodes: number;
  readonly seed: number;
  readonly meanReturnLast10Pct: number;
  readonly visitedStateFraction: number;
  readonly seconds: number;
}

/** Train tabular Q-learning on a discretized env; write config.json, policy.json and episodes.csv under the run dir. */
export function trainQ(args: TrainQArgs, quiet = false): TrainQResult {
  const kwargs = withMarket(args.env, parseEnvOptions(args.envOptions), args.market, args.series);
  const discretize = resolveDiscretization(args.env, args);
  const defaults = tabularDefaults(args.env);
  const episodes = args.episodes ?? defaults.episodes;
  const env = new DiscretizeObservation(make(args.env, kwargs) as never, { bins: discretize.bins, low: discretize.low, high: discretize.high });
  const config: Partial<QLearningConfig> = { ...defaults.qLearning, seed: args.seed };
  if (args.gamma !== undefined) config.gamma = args.gamma;
  if (args.learningRate !== undefined) config.learningRate = args.learningRate;
  const runDir = args.out ?? join('runs', `q-learning-${args.env}-seed${args.seed}`);
  const bar = progressBar('q-learning', episodes, args.json || quiet);
  const started = performance.now();
  const result = trainQLearning(env, config, { episodes, onEpisode: () => bar.tick() });
  bar.stop();
  const seconds = (performance.now() - started) / 1000;
  env.close();
  const policyPath = join(runDir, 'policy.json');
  const recorded = recordableKwargs(kwargs);
  savePolicy(policyPath, result.agent, { envId: args.env, envSpec: { kwargs: recorded, discretize } });
  writeFileAtomic(join(runDir, 'config.json'), toJson({
    command: ['damm-gym', ...process.argv.slice(2)], algorithm: 'q-learning', env: args.env, envOptions: recorded, discretize,
    qLearning: result.agent.config, episodes, seed: args.seed,
  }));
  writeFileAtomic(join(runDir, 'episodes.csv'), `episode,return,length\n${result.returns.map((r, i) => `${i},${r},${result.lengths[i]}`).join('\n')}\n`);
  const tail = result.returns.slice(Math.floor(result.returns.length * 0.9));
  return {
    runDir, policyPath, episodes, seed: args.seed,
    meanReturnLast10Pct: tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : 0,
    visitedStateFraction: result.agent.coverage().visitedStateFraction, seconds,
  };
}

export function trainCommand(y: Argv): Argv {
  return y.command('train', 'Train an agent', (t) => t
    .command(
      'q-learning',
      'Tabular Q-learning (ε-greedy, Bellman update) on a discretized env; writes runs/<name>/{config.json,policy.json,episodes.csv}',
      (c) => c
        .option('env', { type: 'string', default: 'drift-vamm-v0', describe: 'registered env id' })
        .option('episodes', { type: 'number', describe: 'training episodes (default: 3000 for drift-vamm-v0 and CartPole-v1, else 500)' })
        .option('seed', { type: 'number', default: 1, describe: 'seeds the env and the exploration RNG' })
        .option('out', { type: 'string', describe: 'run directory (default runs/q-learning-<env>-seed<seed>)' })
        .option('env-options', { type: 'string', describe: 'make() kwargs as JSON, e.g. \'{"market":"BTC"}\'' })
        .option('bins', { type: 'string', describe: 'bins per observation coordinate, comma-separated' })
        .option('low', { type: 'string', describe: 'lower edges of the binned ranges' })
        .option('high', { type: 'string', describe: 'upper edges of the binned ranges' })
        .option('gamma', { type: 'number', describe: 'discount factor (default 0.999 on drift-vamm-v0, else 0.99)' })
        .option('learning-rate', { type: 'number', describe: 'constant step size α (default 0.05 on drift-vamm-v0, else 0.1)' })
        .option('market', MARKET_OPTION),
      async (argv) => {
        const args = argv as unknown as TrainQArgs & { dataDir?: string };
        args.series = await loadSeriesFor(args.env, args.market, args.dataDir);
        const r = trainQ(args);
        if (argv.json) process.stdout.write(`${toJson(r)}\n`);
        else console.log(`train q-learning: ${r.episodes} episodes in ${r.seconds.toFixed(1)} s; mean return of the last 10 % ${r.meanReturnLast10Pct.toFixed(2)}; states visited ${(100 * r.visitedStateFraction).toFixed(1)} %; policy ${r.policyPath}`);
      },
    )
    .command(trainEmpiricalCommand)
    .command(trainDqnCommand)
    .demandCommand(1));
}
