import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { toJson } from '../output.js';
import { progressBar } from '../progress.js';
import { checkWorkers, loadSweepConfig } from '../sweep/config.js';
import { SweepConfigError } from '../sweep/errors.js';
import { planSweep } from '../sweep/plan.js';
import { formatSweepReport } from '../sweep/report.js';
import { defaultWorkers, runSweep, type SweepSummary } from '../sweep/runner.js';

export interface SweepArgs {
  config: string;
  /** Default: the config's `workers`, else one per core. */
  workers?: number;
  /** Default runs/sweep-<config name>. */
  out?: string;
  resume: boolean;
  dataDir?: string;
  json: boolean;
}

/** Check the config and every grid point, then run the trials on worker threads and write the table. */
export async function sweep(args: SweepArgs, quiet = false): Promise<SweepSummary> {
  const config = loadSweepConfig(args.config);
  const workers = args.workers === undefined
    ? (config.workers ?? defaultWorkers())
    : checkWorkers(args.workers, (value, allowed) => {
      throw new SweepConfigError(args.config, '--workers', value, allowed);
    });
  const plan = await planSweep(config, { dataDir: args.dataDir });
  const out = args.out ?? join('runs', `sweep-${config.name}`);
  if (existsSync(out) && !statSync(out).isDirectory()) {
    throw new SweepConfigError(args.config, '--out', out, 'expected a directory for the journal and the results table (it is created if missing), not a file');
  }
  let bar: ReturnType<typeof progressBar> | undefined;
  try {
    return await runSweep(plan, {
      workers, out, resume: args.resume,
      onStart: (toRun) => { bar = progressBar('sweep', toRun, args.json || quiet); },
      onTrial: () => bar?.tick(),
    });
  } finally {
    bar?.stop();
  }
}

export function sweepCommand(y: Argv): Argv {
  return y.command(
    'sweep',
    'Run a grid of (configuration, seed) trials on worker threads; write one results table (CSV and Parquet) and resume a killed sweep',
    (c) => c
      .option('config', { type: 'string', demandOption: true, describe: 'sweep config (JSON): env, envOptions, trial, grid, seeds; see training/sweep/examples/' })
      .option('workers', { type: 'number', describe: 'worker threads (default: the config\'s "workers", else one per core)' })
      .option('out', { type: 'string', describe: 'output directory (default runs/sweep-<config name>)' })
      .option('resume', { type: 'boolean', default: false, describe: 'continue the journal in --out: finished trials are kept, the rest run' }),
    async (argv) => {
      const s = await sweep(argv as unknown as SweepArgs);
      if (argv.json) process.stdout.write(`${toJson(s)}\n`);
      else console.log(formatSweepReport(s));
    },
  );
}
