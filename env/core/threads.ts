/** Worker-thread plumbing shared by the sweep runner and the multi-threaded vector envs. */

/**
 * Node flags for worker threads that load TypeScript modules. They inherit the process's flags; a
 * process that registered tsx through its API (the `damm-gym` binary) has none, so the workers get
 * tsx's loader explicitly.
 */
export function workerExecArgv(): string[] {
  const inherited = process.execArgv;
  if (inherited.some((a) => a.includes('tsx'))) return [...inherited];
  return [...inherited, '--import', import.meta.resolve('tsx')];
}
