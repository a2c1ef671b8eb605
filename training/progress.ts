import cliProgress from 'cli-progress';

/** A progress bar on a terminal (and never under --json); elsewhere nothing, the caller prints a summary line. */
export function progressBar(label: string, total: number, json: boolean): { tick(n?: number): void; stop(): void } {
  if (json || !process.stderr.isTTY) return { tick() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} {duration_formatted}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: (n = 1) => bar.increment(n), stop: () => bar.stop() };
}
