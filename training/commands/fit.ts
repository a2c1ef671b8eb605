import type { Argv } from 'yargs';
import { fitClassifierCommand } from './fitClassifier.js';
import { fitVolumeCommand } from './fitVolume.js';
import { fitSequenceCommand } from './fitSequence.js';

/**
 * `damm-gym fit <model>`: supervised models fitted to Drift v1 history. Each subcommand lives in its
 * own module and registers itself here (one import and one entry each).
 */
const SUBCOMMANDS: ((y: Argv) => Argv)[] = [
  fitClassifierCommand,
  fitVolumeCommand,
  fitSequenceCommand,
];

export function fitCommand(y: Argv): Argv {
  return y.command('fit', 'Fit models to Drift v1 history (volume regression, success classifiers, sequence predictors)', (f) => {
    for (const register of SUBCOMMANDS) register(f);
    return f.demandCommand(1);
  });
}
