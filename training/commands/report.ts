import type { Argv } from 'yargs';
import { toJson } from '../output.js';

/** `damm-gym report <run-dir>`: a self-contained HTML report of a training, evaluation or compare run. */
export function reportCommand(y: Argv): Argv {
  return y.command(
    'report <run-dir>',
    'Write a self-contained HTML report (inline plots, tables, the exact command and config) of a training, evaluation or compare run directory',
    (c) => c
      .positional('run-dir', { type: 'string', demandOption: true, describe: 'run directory (runs/compare, runs/q-learning-drift-vamm-v0-seed1, runs/evaluate-…, runs/dqn-…)' })
      .option('out', { type: 'string', describe: 'HTML file to write (default <run-dir>/report.html)' }),
    async (argv) => {
      const started = performance.now();
      // vega and resvg load only when a report is written, not on every CLI start
      const { writeReport } = await import('../report/report.js');
      const r = await writeReport(argv['run-dir'] as string, argv.out as string | undefined);
      const seconds = (performance.now() - started) / 1000;
      if (argv.json) process.stdout.write(`${toJson({ ...r, seconds })}\n`);
      else console.log(`report: ${r.sections.length} section(s), ${r.tables} table(s), ${r.plots} plot(s), ${(r.bytes / 1024).toFixed(0)} KiB in ${seconds.toFixed(1)} s: ${r.path}`);
    },
  );
}
