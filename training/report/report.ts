/**
 * `damm-gym report <run-dir>`: one self-contained HTML file (inline SVG plots, inline CSS, no
 * external requests) for a run directory: a q-learning or DQN training run, an evaluation run, a
 * compare run (train/ and evaluate/ inside), or any run with a config.json.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { writeFileAtomic } from '../files.js';
import { ReportInputError } from './errors.js';
import { escapeHtml, page } from './html.js';
import { hasDir, hasFile, readJson } from './runFiles.js';
import { classifierSection, dqnSection, evaluationSection, genericSection, qLearningSection, type Section } from './sections.js';

export interface Report {
  readonly title: string;
  readonly html: string;
  readonly sections: readonly string[];
  readonly plots: number;
  readonly tables: number;
}

async function sectionsOf(dir: string): Promise<Section[]> {
  const out: Section[] = [];
  if (hasFile(dir, 'config.json')) {
    const config = readJson(dir, 'config.json');
    if (config.algorithm === 'q-learning' && hasFile(dir, 'episodes.csv')) out.push(await qLearningSection(dir, config));
    else if (config.algorithm === 'dqn') out.push(await dqnSection(dir, config));
    else if (config.algorithm === 'fit-classifier' && hasFile(dir, 'classifiers.json')) out.push(await classifierSection(dir, config));
    else out.push(genericSection(dir, config));
  }
  if (hasFile(dir, 'results.json')) out.push(await evaluationSection(dir));
  return out;
}

/** The report of a run directory (not written). */
export async function buildReport(runDir: string): Promise<Report> {
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) {
    throw new ReportInputError(`report: run directory ${JSON.stringify(runDir)} does not exist (expected a directory damm-gym wrote, e.g. runs/compare)`);
  }
  const sections = await sectionsOf(runDir);
  // a compare run keeps its two halves in train/ and evaluate/
  for (const sub of ['train', 'evaluate']) if (hasDir(runDir, sub)) sections.push(...(await sectionsOf(join(runDir, sub))));
  if (sections.length === 0) {
    throw new ReportInputError(
      `report: ${JSON.stringify(runDir)} is not a run directory damm-gym knows: expected config.json (a training run), results.json (an evaluation run) or train/ and evaluate/ (a compare run)`,
    );
  }
  const title = `damm-gym report: ${basename(resolve(runDir))}`;
  const toc = `<p class="note">run directory ${escapeHtml(runDir)}; written ${new Date().toISOString()}</p><ul>${sections.map((s, i) => `<li><a href="#s${i}">${escapeHtml(s.heading)}</a></li>`).join('')}</ul>`;
  const body = toc + sections.map((s, i) => `<section id="s${i}"><h2>${escapeHtml(s.heading)}</h2>\n${s.html}</section>`).join('\n');
  return {
    title, html: page(title, body), sections: sections.map((s) => s.heading),
    plots: sections.reduce((a, s) => a + s.plots, 0), tables: sections.reduce((a, s) => a + s.tables, 0),
  };
}

export interface WrittenReport extends Omit<Report, 'html'> {
  readonly path: string;
  readonly bytes: number;
}

/** Build the report and write it atomically (default `<run-dir>/report.html`). */
export async function writeReport(runDir: string, out?: string): Promise<WrittenReport> {
  const report = await buildReport(runDir);
  const path = out ?? join(runDir, 'report.html');
  writeFileAtomic(path, report.html);
  const { html, ...rest } = report;
  return { ...rest, path, bytes: Buffer.byteLength(html) };
}
