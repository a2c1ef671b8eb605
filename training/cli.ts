import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { DammGymError } from '../env/core/errors.js';
import { dataCommand } from './commands/data.js';
import { envCommand } from './commands/env.js';
import { compareCommand } from './commands/compare.js';
import { evaluateCommand } from './commands/evaluate.js';
import { fitCommand } from './commands/fit.js';
import { trainCommand } from './commands/train.js';
import { sweepCommand } from './commands/sweep.js';
import { reportCommand } from './commands/report.js';

const cli = yargs(hideBin(process.argv))
  .scriptName('damm-gym')
  .option('json', { type: 'boolean', default: false, describe: 'machine-readable output on stdout' })
  .option('data-dir', { type: 'string', describe: 'Drift v1 data directory (else DAMM_GYM_DATA, ./data/cache/drift-v1, ../shared/data/drift-v1)' })
  .strict()
  .demandCommand(1)
  .recommendCommands()
  .fail((msg, err, y) => {
    // Our typed errors carry the whole story; print them without a stack. Usage errors get the help.
    if (err instanceof DammGymError) {
      console.error(`damm-gym: ${err.name}: ${err.message}`);
      process.exit(1);
    }
    if (err) throw err;
    // yargs' "Did you mean …?" alone does not say what was wrong
    const detail = /^Did you mean/.test(msg) ? `unknown command in "${hideBin(process.argv).join(' ')}". ${msg}` : msg;
    y.showHelp();
    console.error(`\ndamm-gym: ${detail}`);
    process.exit(2);
  })
  .help();

dataCommand(cli);
envCommand(cli);
trainCommand(cli);
evaluateCommand(cli);
compareCommand(cli);
fitCommand(cli);
sweepCommand(cli);
reportCommand(cli);
await cli.parseAsync();
