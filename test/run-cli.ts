import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../data/dataDir.js';

/** Run the damm-gym binary as a user would, from the package root. */
export function runCli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin/damm-gym.js'), ...args], { encoding: 'utf8', cwd: PACKAGE_ROOT });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
