#!/bin/sh
# Starts the Deno kernel from the project's own npm-installed deno (devDependency, pinned),
# with notebooks/ as its working directory so cells import the project as '../index.ts' and
# notebooks/deno.json (sloppy imports, node_modules) applies. The path is relative to this file,
# so the kernelspec works from any clone without `deno jupyter --install`.
cd "$(dirname "$0")/../.." || exit 1
exec ../node_modules/.bin/deno jupyter --kernel --conn "$1"
