/**
 * The notebooks in notebooks/: committed without outputs, on the committed Deno kernelspec, importing the
 * project only through index.ts; and scripts/notebooks.sh (`npm run notebooks`) executes them, fails on a
 * type error or a cell error, and skips visibly without Jupyter unless CI requires it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const NOTEBOOK_DIR = join(ROOT, 'notebooks');
const RUNNER = join(ROOT, 'scripts', 'notebooks.sh');
const KERNEL = 'damm-gym-deno';

interface NotebookCell { cell_type: string; source: string[] | string; outputs?: { output_type: string }[]; execution_count?: number | null }
interface Notebook { cells: NotebookCell[]; metadata: { kernelspec?: { name?: string } } }

const readNotebook = (path: string): Notebook => JSON.parse(readFileSync(path, 'utf8')) as Notebook;
const sourceOf = (cell: NotebookCell): string => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);
const notebookFiles = (): string[] => readdirSync(NOTEBOOK_DIR).filter((f) => f.endsWith('.ipynb') && !f.startsWith('.')).sort();

function runRunner(args: string[], env: Record<string, string | undefined>): { status: number | null; stdout: string; stderr: string } {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) merged[k] = v;
  const r = spawnSync('sh', [RUNNER, ...args], { cwd: ROOT, encoding: 'utf8', env: merged });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const jupyterPresent = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8' }).status === 0;
const required = (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && process.env.CI !== '0')
  || process.env.DAMM_GYM_REQUIRE_NOTEBOOKS === '1';
const NO_JUPYTER = 'jupyter not installed (apt-get install jupyter-nbconvert jupyter-client); notebook execution not tested here';
if (!jupyterPresent) console.log(`# SKIPPED notebook execution: ${NO_JUPYTER}`);

/** A one-cell notebook on the project kernel, hidden (dot-name) so a concurrent full run does not pick it up. */
function writeScratchNotebook(tag: string, code: string): string {
  const path = join(NOTEBOOK_DIR, `.test-${process.pid}-${tag}.ipynb`);
  const nb = {
    cells: [{ cell_type: 'code', execution_count: null, id: 'c0', metadata: {}, outputs: [], source: code.split('\n').map((l, i, a) => (i < a.length - 1 ? `${l}\n` : l)) }],
    metadata: { kernelspec: { display_name: 'Deno (damm-gym)', language: 'typescript', name: KERNEL }, language_info: { name: 'typescript', file_extension: '.ts' } },
    nbformat: 4, nbformat_minor: 5,
  };
  writeFileSync(path, JSON.stringify(nb));
  return path;
}

describe('committed notebooks', () => {
  const files = notebookFiles();

  it('exist: the tour, Q-learning, offline evaluation, success classifiers, the market-maker zoo', () => {
    for (const prefix of ['01-', '02-', '03-', '04-', '05-']) assert.ok(files.some((f) => f.startsWith(prefix)), `no notebook ${prefix}* in ${files.join(', ')}`);
  });

  for (const file of files) {
    it(`${file}: no outputs, the committed kernelspec, imports only ../index.ts`, () => {
      const nb = readNotebook(join(NOTEBOOK_DIR, file));
      assert.equal(nb.metadata.kernelspec?.name, KERNEL);
      const code = nb.cells.filter((c) => c.cell_type === 'code');
      assert.ok(code.length > 0, 'no code cells');
      for (const cell of code) {
        assert.deepEqual(cell.outputs, [], 'committed with outputs');
        assert.equal(cell.execution_count, null);
        for (const m of sourceOf(cell).matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]/g)) {
          assert.equal(m[1] ?? m[2], '../index.ts', `imports ${m[1] ?? m[2]} instead of the public API`);
        }
      }
    });
  }

  it('the kernelspec launches the project\'s own deno from a path relative to itself', () => {
    const spec = JSON.parse(readFileSync(join(NOTEBOOK_DIR, 'kernels', KERNEL, 'kernel.json'), 'utf8')) as { argv: string[]; language: string };
    assert.deepEqual(spec.argv, ['sh', '{resource_dir}/launch.sh', '{connection_file}']);
    assert.equal(spec.language, 'typescript');
    const launcher = readFileSync(join(NOTEBOOK_DIR, 'kernels', KERNEL, 'launch.sh'), 'utf8');
    assert.match(launcher, /\.\.\/node_modules\/\.bin\/deno jupyter --kernel --conn "\$1"/);
    assert.doesNotMatch(launcher, /\/work\/|\/home\/|\/root\//, 'absolute path in the launcher');
  });
});

describe('scripts/notebooks.sh without Jupyter', () => {
  const missing = { JUPYTER: '/nonexistent/jupyter', CI: '', DAMM_GYM_REQUIRE_NOTEBOOKS: '' };

  it('prints a visible SKIPPED line and exits 0 on a user machine', () => {
    const r = runRunner([], missing);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^SKIPPED: jupyter not installed/m);
  });

  it('fails when CI is set', () => {
    const r = runRunner([], { ...missing, CI: 'true' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /FAILED: jupyter not installed/);
  });

  it('fails when DAMM_GYM_REQUIRE_NOTEBOOKS=1', () => {
    const r = runRunner([], { ...missing, DAMM_GYM_REQUIRE_NOTEBOOKS: '1' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /FAILED: jupyter not installed/);
  });
});

describe('scripts/notebooks.sh with Jupyter', { skip: jupyterPresent ? false : required ? false : NO_JUPYTER }, () => {
  it('Jupyter is installed (required in CI)', () => {
    assert.ok(jupyterPresent, 'CI or DAMM_GYM_REQUIRE_NOTEBOOKS=1 is set but `jupyter nbconvert` is not available');
  });

  it('executes every notebook without a cell error', { skip: !jupyterPresent }, () => {
    const out = mkdtempSync(join(tmpdir(), 'damm-nb-'));
    try {
      const r = runRunner([], { NOTEBOOKS_OUT: out });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      const files = notebookFiles();
      assert.match(r.stdout, new RegExp(`notebooks: ${files.length} executed without errors`));
      for (const file of files) {
        const executed = readNotebook(join(out, file));
        const outputs = executed.cells.flatMap((c) => c.outputs ?? []);
        assert.ok(outputs.length > 0, `${file}: executed copy has no outputs`);
        assert.ok(outputs.every((o) => o.output_type !== 'error'), `${file}: an error output`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('fails on a cell that throws, naming the notebook', { skip: !jupyterPresent }, () => {
    const nb = writeScratchNotebook('throws', "import { make } from '../index.ts';\nmake('drift-vamm-v0');\nthrow new Error('boom from a cell');");
    const out = mkdtempSync(join(tmpdir(), 'damm-nb-'));
    try {
      const r = runRunner([nb], { NOTEBOOKS_OUT: out });
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /FAILED: a cell of .*\.test-\d+-throws\.ipynb raised an error/);
      assert.match(r.stderr, /boom from a cell/);
    } finally {
      rmSync(nb, { force: true });
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('fails on a type error before executing (the Deno kernel itself does not type-check)', { skip: !jupyterPresent }, () => {
    const nb = writeScratchNotebook('types', "import { make } from '../index.ts';\nconst steps: number = make('drift-vamm-v0').spec?.id;\nconsole.log(steps);");
    const out = mkdtempSync(join(tmpdir(), 'damm-nb-'));
    try {
      const r = runRunner([nb], { NOTEBOOKS_OUT: out });
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /FAILED: type errors in .*\.test-\d+-types\.ipynb/);
      assert.deepEqual(readdirSync(out), [], 'executed although the check failed');
      assert.deepEqual(readdirSync(NOTEBOOK_DIR).filter((f) => f.startsWith('.nbcheck-')), [], 'the exported check script was left behind');
    } finally {
      rmSync(nb, { force: true });
      rmSync(out, { recursive: true, force: true });
    }
  });
});
