/** Test helper (not a test file): what every rendered plot must show. */
import assert from 'node:assert/strict';
import type { RenderedPlot } from '../training/plots/render.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** An SVG holding each of `texts` (title, axis titles, legend entries) and a non-trivial PNG. */
export function assertRendered(plot: RenderedPlot, texts: readonly string[]): void {
  assert.match(plot.svg, /^<svg/);
  for (const t of texts) assert.ok(plot.svg.includes(t), `SVG lacks ${JSON.stringify(t)}`);
  assert.deepEqual([...plot.png.slice(0, 8)], PNG_SIGNATURE);
  assert.ok(plot.png.length > 2000, 'PNG has content');
}
