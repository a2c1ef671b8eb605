/**
 * Render a vega-lite spec without a browser: vega-lite → vega → `View.toSVG()` (renderer 'none'),
 * then the SVG → PNG through resvg with the system DejaVu fonts (see docs ecosystem.md §4).
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type VegaLiteSpec = TopLevelSpec;

export interface RenderedPlot {
  /** The chart as a standalone SVG document. */
  readonly svg: string;
  /** The same chart as PNG bytes (white background). */
  readonly png: Uint8Array;
}

export interface RenderOptions {
  /** PNG pixels per SVG unit (default 2: sharp on screens and in reports). */
  readonly scale?: number;
}

/** Fonts and colours every plot shares, so labels stay readable at the PNG's size. */
export const PLOT_CONFIG = {
  font: 'DejaVu Sans',
  title: { fontSize: 15, anchor: 'start', offset: 10 },
  axis: { labelFontSize: 11, titleFontSize: 12, titlePadding: 8 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  background: 'white',
} as const;

/** The spec's SVG (vega's headless renderer). */
export async function specToSvg(spec: VegaLiteSpec): Promise<string> {
  const compiled = compile({ ...spec, config: { ...PLOT_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** SVG text → PNG bytes. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return new Uint8Array(resvg.render().asPng());
}

export async function renderSpec(spec: VegaLiteSpec, options: RenderOptions = {}): Promise<RenderedPlot> {
  const svg = await specToSvg(spec);
  return { svg, png: svgToPng(svg, options.scale ?? 2) };
}
