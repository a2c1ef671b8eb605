/**
 * Warnings, Gymnasium's `logger.warn`. By default each distinct message is emitted once per process
 * through `process.emitWarning` (Python's default warnings filter also shows a message once per
 * location). Tests and notebooks can route warnings elsewhere with `setWarningHandler`.
 */

export type WarningHandler = (message: string) => void;

const seen = new Set<string>();

const defaultHandler: WarningHandler = (message) => {
  if (seen.has(message)) return;
  seen.add(message);
  process.emitWarning(message, { type: 'DammGymWarning' });
};

let handler: WarningHandler = defaultHandler;

/** Emits a warning through the current handler. */
export function warn(message: string): void {
  handler(message);
}

/** Replaces the warning handler (null restores the default); returns the previous one. */
export function setWarningHandler(next: WarningHandler | null): WarningHandler {
  const previous = handler;
  handler = next ?? defaultHandler;
  return previous;
}

/** Runs `fn` and returns its result together with the warnings it emitted (not forwarded). */
export function captureWarnings<T>(fn: () => T): [T, string[]] {
  const captured: string[] = [];
  const previous = setWarningHandler((m) => captured.push(m));
  try {
    return [fn(), captured];
  } finally {
    setWarningHandler(previous);
  }
}
