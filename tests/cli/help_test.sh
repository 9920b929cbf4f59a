#!/usr/bin/env bash
# Every command has --help, options show their defaults, and --version works.
set -euo pipefail
strata=$1
fail() { echo "FAIL: $*"; exit 1; }

grep -qE '^strata [0-9]+\.[0-9]+\.[0-9]+$' <<<"$("$strata" --version)" || fail "--version"
for cmd in "" "demo" "wal" "wal dump" "wal verify" "bench" "bench wal" "bench db" "sst" \
           "sst dump" "db" "db check" "db stats" "db checkpoint" "kv" "kv put" "kv get" "kv del" "kv scan" \
           "parquet" "parquet inspect" "parquet cat" "parquet from-csv"; do
  out=$("$strata" $cmd --help) || fail "$cmd --help exited non-zero"
  [ -n "$out" ] || fail "$cmd --help printed nothing"
done
# Defaults are shown next to options.
grep -qE -- '--records.*1000000' <<<"$("$strata" bench wal --help)" || fail "bench wal --records default"
grep -qE -- '--sync .*none' <<<"$("$strata" bench wal --help)" || fail "bench wal --sync default"
grep -qE -- '--dir.*strata-data' <<<"$("$strata" demo --help)" || fail "demo --dir default"
grep -qE -- '--mode.*absolute_consistency' <<<"$("$strata" wal verify --help)" || fail "verify --mode default"
# No subcommand, or an unknown one, is a usage error.
if "$strata" >/dev/null 2>&1; then fail "no subcommand should fail"; fi
if "$strata" frobnicate >/dev/null 2>&1; then fail "unknown subcommand should fail"; fi
echo "help and version: ok"
