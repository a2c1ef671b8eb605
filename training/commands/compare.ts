import { join } from 'node:path';
import type { Argv } from 'yargs';
import { toJson } from '../output.js';
import { baselinesFor, evaluate, printEvaluation } from './evaluate.js';
import { trainQ } from './train.js';
import { loadSeriesFor, MARKET_OPTION } from '../envOptions.js';

/** Train tabular Q-learning with defaults, then evaluate it next to every baseline on the same seeds. */
export function compareCommand(y: Argv): Argv {
  return y.command(
    'compare',
    'Train Q-learning on an env with defaults, evaluate it against noop (hold) and random (plus repeg-to-oracle and formulaic on the Drift envs, and historical on drift-replay-v0), and write an HTML report',
    (c) => c
      .option('env', { type: 'string', default: 'drift-vamm-v0', describe: 'registered env id' })
      .option('episodes', { type: 'number', describe: 'training episodes (default: the env\'s, 3000 on drift-vamm-v0)' })
      .option('seed', { type: 'number', default: 1, describe: 'training seed' })
      .option('seeds', { type: 'number', default: 10, describe: 'evaluation seeds' })
      .option('env-options', { type: 'string', describe: 'make() kwargs as JSON' })
      .option('market', MARKET_OPTION)
      .option('out', { type: 'string', default: join('runs', 'compare'), describe: 'run directory (train/ and evaluate/ inside)' }),
    async (argv) => {
      const out = argv.out as string;
      const env = argv.env as string;
      const market = argv.market as string | undefined;
      const series = await loadSeriesFor(env, market, argv.dataDir as string | undefined);
      const base = { env, envOptions: argv['env-options'] as string | undefined, market, series, json: Boolean(argv.json) };
      const trained = trainQ({ ...base, episodes: argv.episodes as number | undefined, seed: argv.seed as number, out: join(out, 'train') });
      if (!argv.json) console.log(`compare: trained q-learning for ${trained.episodes} episodes in ${trained.seconds.toFixed(1)} s (${trained.policyPath})`);
      const summary = evaluate({ ...base, policy: [trained.runDir, ...baselinesFor(base.env)].join(','), seeds: argv.seeds as number, out: join(out, 'evaluate') });
      const { writeReport } = await import('../report/report.js'); // vega loads only here, not on every CLI start
      const report = await writeReport(out);
      if (argv.json) process.stdout.write(`${toJson({ train: trained, evaluate: summary, report: report.path })}\n`);
      else {
        printEvaluation(summary);
        console.log(`compare: report ${report.path}`);
      }
    },
  );
}
