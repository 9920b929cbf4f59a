#!/usr/bin/env bash
# Runs one interop test script as ctest does: run_node_test.sh SCRIPT FIXTURE SCRATCH.
# Exits 77 (the tests' SKIP_RETURN_CODE) with the reason when node or the npm packages in
# tests/interop/node_modules are missing; scripts/install-deps.sh installs both.
set -euo pipefail
script=$1
fixture=$2
scratch=$3
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (scripts/install-deps.sh installs it)"
  exit 77
fi
for package in @duckdb/node-api hyparquet; do
  if [ ! -f "$here/node_modules/$package/package.json" ]; then
    echo "SKIP: $here/node_modules/$package is missing (run scripts/install-deps.sh)"
    exit 77
  fi
done

rm -rf "$scratch"
mkdir -p "$scratch"
exec node "$script" "$fixture" "$scratch"
