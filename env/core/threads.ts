/** Worker-thread plumbing shared by the sweep runner and the multi-threaded vector envs. */

/** Flags that take the next argument as their value. */
const WITH_VALUE = /^(-e|--eval|-p|--print|-r|--require|--import|--loader|--experimental-loader|--input-type)$/;

/**
 * The process's Node flags a worker thread should inherit: all but the script given inline (-e / -p,
 * which the worker would run instead of its entry) and tsx's loader (callers add it back in the form
 * they need; twice would register it twice).
 */
export function workerFlags(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i]!;
    const value = WITH_VALUE.test(a) ? execArgv[++i] : a.includes('=') ? a.slice(a.indexOf('=') + 1) : undefined;
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (/^(-e|--eval|-p|--print|--input-type)$/.test(name)) continue;
    if (value !== undefined && value.includes('tsx') && /^(-r|--require|--import|--loader|--experimental-loader)$/.test(name)) continue;
    if (WITH_VALUE.test(a)) out.push(a, value!);
    else out.push(a);
  }
  return out;
}

/**
 * Node flags for worker threads that piscina starts on TypeScript modules: the inheritable flags
 * plus tsx's loader, which a process that registered tsx through its API (the `damm-gym` binary)
 * does not have among its own flags.
 */
export function workerExecArgv(): string[] {
  return [...workerFlags(process.execArgv), '--import', import.meta.resolve('tsx')];
}
