#!/bin/sh
# Executes every notebook in notebooks/ (or the ones named as arguments) with the committed Deno
# kernelspec, and fails on the first type error or cell error.
#
#   npm run notebooks                      # all notebooks
#   sh scripts/notebooks.sh notebooks/01-drift-vamm-tour.ipynb
#
# For each notebook: export its code cells as a .ts script next to it (so '../index.ts' resolves
# the same way as in the kernel) and `deno check` it, because the Deno kernel runs cells without
# type-checking them; then `jupyter nbconvert --execute` it into $NOTEBOOKS_OUT (default .nb-out/,
# git-ignored), which exits non-zero on any cell error. The committed notebooks stay output-free.
#
# Without Jupyter (Debian: jupyter-nbconvert jupyter-client) the run is skipped with a visible line,
# unless CI or DAMM_GYM_REQUIRE_NOTEBOOKS=1 is set: then a missing Jupyter is an error.
set -eu
cd "$(dirname "$0")/.."
root=$PWD

required=0
if [ -n "${CI:-}" ] && [ "${CI}" != "false" ] && [ "${CI}" != "0" ]; then required=1; fi
if [ "${DAMM_GYM_REQUIRE_NOTEBOOKS:-}" = "1" ]; then required=1; fi

# JUPYTER overrides the command (tests point it at a missing one to see the skip path)
jupyter="${JUPYTER:-jupyter}"
if ! command -v "$jupyter" >/dev/null 2>&1 || ! "$jupyter" nbconvert --version >/dev/null 2>&1; then
  if [ "$required" = "1" ]; then
    echo "FAILED: jupyter not installed (nbconvert is required when CI or DAMM_GYM_REQUIRE_NOTEBOOKS=1 is set; apt-get install jupyter-nbconvert jupyter-client)" >&2
    exit 1
  fi
  echo "SKIPPED: jupyter not installed (apt-get install jupyter-nbconvert jupyter-client to run the notebooks)"
  exit 0
fi

deno="$root/node_modules/.bin/deno"
if [ ! -x "$deno" ]; then
  echo "FAILED: $deno not found; run npm ci (deno is a devDependency)" >&2
  exit 1
fi

# The kernelspec is read from notebooks/kernels/damm-gym-deno; nothing is installed into ~/.local.
export JUPYTER_PATH="$root/notebooks${JUPYTER_PATH:+:$JUPYTER_PATH}"
export PYDEVD_DISABLE_FILE_VALIDATION=1
export NO_COLOR=1
out="${NOTEBOOKS_OUT:-$root/.nb-out}"
mkdir -p "$out"

check_file=""
cleanup() { if [ -n "$check_file" ]; then rm -f "$check_file"; fi; }
trap cleanup EXIT INT TERM

if [ "$#" -eq 0 ]; then set -- notebooks/*.ipynb; fi
count=0
for nb in "$@"; do
  if [ ! -f "$nb" ]; then
    echo "FAILED: notebook $nb not found (expected a path such as notebooks/01-drift-vamm-tour.ipynb)" >&2
    exit 1
  fi
  name=$(basename "$nb" .ipynb)
  dir=$(dirname "$nb")
  started=$(date +%s)

  check_file="$dir/.nbcheck-$name.ts"
  "$jupyter" nbconvert --to script --log-level WARN --output-dir "$dir" --output ".nbcheck-$name" "$nb"
  # from the notebook's folder, like the kernel, so notebooks/deno.json applies
  if ! (cd "$dir" && "$deno" check --quiet ".nbcheck-$name.ts"); then
    echo "FAILED: type errors in $nb" >&2
    exit 1
  fi
  rm -f "$check_file"
  check_file=""

  if ! "$jupyter" nbconvert --to notebook --execute --log-level WARN \
      --ExecutePreprocessor.timeout=300 --output-dir "$out" --output "$name" "$nb"; then
    echo "FAILED: a cell of $nb raised an error (executed copy: $out/$name.ipynb)" >&2
    exit 1
  fi
  echo "notebook ok: $nb ($(( $(date +%s) - started )) s, output in $out/$name.ipynb)"
  count=$((count + 1))
done
echo "notebooks: $count executed without errors"
