import type { Argv } from 'yargs';
import { checkEnv, listEnvs, make, spec } from '../../env/core/index.js';
import { PROBE_KWARGS } from '../../env/tasks/builtin.js';
import { formatTable, toJson } from '../output.js';

function describeEnvs(json: boolean): void {
  const rows = listEnvs().map((id) => {
    const s = spec(id);
    const env = make(id, { disableEnvChecker: true, ...PROBE_KWARGS[id]?.() });
    const row = {
      id, maxEpisodeSteps: s.maxEpisodeSteps, rewardThreshold: s.rewardThreshold, nondeterministic: s.nondeterministic,
      observationSpace: String(env.observationSpace), actionSpace: String(env.actionSpace),
      renderModes: env.metadata.renderModes ?? [], vector: s.vectorEntryPoint !== null,
    };
    env.close();
    return row;
  });
  if (json) {
    process.stdout.write(`${toJson({ envs: rows })}\n`);
    return;
  }
  console.log(formatTable(
    ['id', 'observation space', 'action space', 'max steps', 'reward threshold'],
    rows.map((r) => [r.id, r.observationSpace, r.actionSpace, String(r.maxEpisodeSteps ?? '-'), String(r.rewardThreshold ?? '-')]),
  ));
  console.log(`envs: ${rows.length} registered`);
}

/** Gymnasium's check_env on each id (every registered env by default); exits 1 if any fails. */
function runCheckEnv(ids: string[], json: boolean): number {
  const targets = ids.length > 0 ? ids : listEnvs();
  const results = targets.map((id) => {
    try {
      const env = make(id, { disableEnvChecker: true, ...PROBE_KWARGS[id]?.() });
      // Gymnasium checks the unwrapped env (wrappers would hide spec/RNG problems).
      const warnings = checkEnv(env.unwrapped);
      env.close();
      return { id, ok: true, warnings, error: null };
    } catch (err) {
      return { id, ok: false, warnings: [] as string[], error: `${(err as Error).name}: ${(err as Error).message}` };
    }
  });
  if (json) process.stdout.write(`${toJson({ results })}\n`);
  else {
    for (const r of results) {
      console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.id}${r.error ? `: ${r.error}` : ''}${r.warnings.length ? ` (${r.warnings.length} warnings: ${r.warnings.join('; ')})` : ''}`);
    }
    console.log(`env check: ${results.filter((r) => r.ok).length}/${results.length} envs pass`);
  }
  return results.every((r) => r.ok) ? 0 : 1;
}

export function envCommand(y: Argv): Argv {
  return y.command('env', 'Registered environments: list them, check them', (e) => e
    .command('list', 'List the registered environments with their spaces', () => {}, (argv) => {
      describeEnvs(Boolean(argv.json));
    })
    .command(
      'check [ids..]',
      "Run Gymnasium's check_env on environments (all registered ones by default); exits 1 if any fails",
      (c) => c.positional('ids', { type: 'string', array: true, describe: 'env ids, e.g. CartPole-v1' }),
      (argv) => { process.exitCode = runCheckEnv((argv.ids as string[] | undefined) ?? [], Boolean(argv.json)); },
    )
    .demandCommand(1));
}
