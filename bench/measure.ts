/**
 * Run `fn` (which performs `opsPerCall` operations) repeatedly for at least `minMs`, after a warm-up,
 * and return the best operations-per-second over `rounds` rounds (the best round is the one least
 * disturbed by GC and the other core's load).
 */
export function opsPerSecond(fn: () => unknown, opsPerCall: number, { minMs = 300, rounds = 5 } = {}): number {
  let sink: unknown;
  const warmUntil = performance.now() + minMs;
  while (performance.now() < warmUntil) sink = fn();
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < minMs) {
      sink = fn();
      calls++;
      now = performance.now();
    }
    best = Math.max(best, (calls * opsPerCall) / ((now - start) / 1000));
  }
  if (sink === Symbol.for('never')) console.error('unreachable');
  return best;
}

/** Round to 3 significant digits, so the JSON is readable and diffs stay quiet. */
export function sig3(x: number): number {
  return Number(x.toPrecision(3));
}
