#!/usr/bin/env bash
# check_layering.py must fail on each kind of violation planted into a copy of the tree, and
# name the file and line; otherwise build.layering passing would prove nothing.
set -euo pipefail
build=$1
source=$2
checker="$source/tests/build/check_layering.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

fresh_copy() {
  rm -rf "$tmp/tree"
  mkdir -p "$tmp/tree"
  for d in src bench fuzz include tools; do
    [ -d "$source/$d" ] && cp -r "$source/$d" "$tmp/tree/$d"
  done
  true
}

# plant FILE LINE EXPECTED: appends LINE to FILE in a fresh copy; the checker must exit 1 and
# print EXPECTED (a fixed string naming the file and the problem).
plant() {
  local file=$1 line=$2 expected=$3
  fresh_copy
  [ -f "$tmp/tree/$file" ] || fail "no $file to plant into"
  printf '%s\n' "$line" >>"$tmp/tree/$file"
  local lines
  lines=$(wc -l <"$tmp/tree/$file")
  local out rc=0
  out=$(python3 "$checker" "$build/module_graph.txt" "$tmp/tree") || rc=$?
  [ "$rc" -eq 1 ] || fail "planted '$line' in $file: checker exit $rc, output: $out"
  grep -qF "$file:$lines: " <<<"$out" || fail "planted '$line' in $file: no line for it: $out"
  grep -qF "$expected" <<<"$out" || fail "planted '$line' in $file: '$expected' missing: $out"
  echo "caught: $file: $line"
}

fresh_copy
python3 "$checker" "$build/module_graph.txt" "$tmp/tree" >/dev/null ||
  fail "the unplanted copy does not pass"

# An upward include: base reaching the engine.
plant src/base/arena.cc '#include "db/db_impl.h"' "header of module db, which is not among"
# A sideways include: wal reaching sst, which it does not link.
plant src/wal/log_writer.cc '#include "sst/format.h"' "header of module sst"
# The engine reaching Parquet.
plant src/db/db_impl.cc '#include "parquet/schema.h"' "header of module parquet"
# A public header of the engine from a module below it.
plant src/parquet/schema.cc '#include "strata/db.h"' "public header of db"
# A repository-root path, as bench once reached src/db/db_impl.h.
plant bench/db_bench.cc '#include "src/db/db_impl.h"' "not a header of a module in the graph"
# A relative path climbing out of the folder.
plant src/cli/main.cc '#include "../db/db_impl.h"' "not a header of a module in the graph"
# A fuzz target reaching a module its target does not link.
plant fuzz/wal_reader_fuzz.cc '#include "parquet/schema.h"' "header of module parquet"
# A header that does not exist in a module it may use.
plant src/db/db_impl.cc '#include "wal/no_such_header.h"' "module wal has no such header"
echo "layering: every planted violation caught"
