import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';
import { buildReport } from '../training/report/report.js';
import { ReportInputError } from '../training/report/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'damm-gym-report-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('report of a small q-learning train + evaluate run: one HTML file, no URLs, tables and inline SVG plots', () => {
  const train = join(dir, 'train');
  const evaluate = join(dir, 'evaluate');
  assert.equal(runCli('train', 'q-learning', '--episodes', '3', '--seed', '2', '--out', train).status, 0);
  const ev = runCli('evaluate', '--policy', `${train},noop`, '--seeds', '2', '--out', evaluate);
  assert.equal(ev.status, 0, ev.stderr);

  const r = runCli('report', dir, '--json');
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as { path: string; sections: string[]; plots: number; tables: number };
  assert.equal(summary.path, join(dir, 'report.html'));
  assert.deepEqual(summary.sections, ['Training run: q-learning on drift-vamm-v0', 'Evaluation run on drift-vamm-v0']);
  const html = readFileSync(summary.path, 'utf8');
  assert.match(html, /^<!DOCTYPE html>/);
  assert.doesNotMatch(html, /https?:\/\//, 'no external URL (nor a namespace URL) in the file');
  assert.doesNotMatch(html, /<(script|link|img)\b/, 'nothing loaded from elsewhere');
  assert.ok((html.match(/<svg/g) ?? []).length >= 5, 'learning curve, two Q maps, mark vs oracle, fee pool, evaluation');
  assert.equal((html.match(/<svg/g) ?? []).length, summary.plots);
  // the exact command, the results table with its metrics, and the plots' titles
  assert.ok(html.includes(`damm-gym train q-learning --episodes 3 --seed 2 --out ${train}`));
  assert.ok(html.includes('<th>IQM return</th>') && html.includes('<th>fees (USD)</th>'));
  assert.ok(html.includes('<td>noop</td>') && html.includes('<td>q-learning</td>'));
  for (const title of ['learning curve', 'Greedy action', 'Mark vs oracle', 'Fee pool over time', 'IQM per policy']) assert.ok(html.includes(title), title);
  // only the report itself was added, nothing half-written beside it
  assert.deepEqual(readdirSync(dir).sort(), ['evaluate', 'report.html', 'train']);

  const plain = runCli('report', evaluate, '--out', join(dir, 'eval.html'));
  assert.equal(plain.status, 0, plain.stderr);
  assert.match(plain.stdout, /report: 1 section\(s\), 1 table\(s\), 1 plot\(s\), .* KiB in .* s: .*eval\.html/);
});

test('a missing or unrecognised run directory is a typed error naming it', async () => {
  const missing = join(dir, 'no-such-run');
  await assert.rejects(buildReport(missing), (e: unknown) => e instanceof ReportInputError && e.message.includes(missing));
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  await assert.rejects(buildReport(empty), (e: unknown) => e instanceof ReportInputError && e.message.includes(empty) && e.message.includes('config.json'));
  const r = runCli('report', missing);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ReportInputError: .*no-such-run.* does not exist/);
});

test('a malformed file names the file and line', async () => {
  const run = join(dir, 'broken');
  mkdirSync(run);
  writeFileSync(join(run, 'config.json'), JSON.stringify({ command: ['damm-gym', 'train', 'q-learning'], algorithm: 'q-learning', env: 'drift-vamm-v0' }));
  writeFileSync(join(run, 'episodes.csv'), 'episode,return,length\n0,12.5,10\n1,oops,10\n');
  await assert.rejects(buildReport(run), (e: unknown) => e instanceof ReportInputError && /episodes\.csv line 3, column return: "oops"/.test(e.message));
});
