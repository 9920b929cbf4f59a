#!/usr/bin/env bash
# Every command has --help, options show their defaults, and --version works.
set -euo pipefail
strata=$1
fail() { echo "FAIL: $*"; exit 1; }

"$strata" --version | grep -qE '^strata [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version"
for cmd in "" "demo" "wal" "wal dump" "wal verify" "bench" "bench wal"; do
  out=$("$strata" $cmd --help) || fail "$cmd --help exited non-zero"
  [ -n "$out" ] || fail "$cmd --help printed nothing"
done
# Defaults are shown next to options.
"$strata" bench wal --help | grep -E -- '--records.*1000000' >/dev/null || fail "bench wal --records default"
"$strata" bench wal --help | grep -E -- '--sync .*none' >/dev/null || fail "bench wal --sync default"
"$strata" demo --help | grep -E -- '--dir.*strata-data' >/dev/null || fail "demo --dir default"
"$strata" wal verify --help | grep -E -- '--mode.*absolute_consistency' >/dev/null || fail "verify --mode default"
# No subcommand, or an unknown one, is a usage error.
if "$strata" >/dev/null 2>&1; then fail "no subcommand should fail"; fi
if "$strata" frobnicate >/dev/null 2>&1; then fail "unknown subcommand should fail"; fi
echo "help and version: ok"
