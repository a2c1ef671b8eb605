import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';

await yargs(hideBin(process.argv))
  .scriptName('damm-gym')
  .strict()
  .demandCommand(1)
  .help()
  .parseAsync();
