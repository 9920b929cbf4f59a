#!/usr/bin/env bash
# The layering of docs/architecture.md, proved two ways.
#  1. From the source text: check_layering.py checks every #include in src/, bench/, fuzz/,
#     tools/ and include/strata/ against the edges declared by strata_module() and
#     strata_program() (module_graph.txt, written by CMake).
#  2. By the compiler: a module sees only the include roots of the modules it links, so an
#     include in the wrong direction does not compile.
set -euo pipefail
cxx=$1
build=$2
source=$3
roots="$build/include_roots"
fail() { echo "FAIL: $*"; exit 1; }
compile() { "$cxx" -std=c++20 -fsyntax-only -x c++ "$@" - ; }

python3 "$source/tests/build/check_layering.py" "$build/module_graph.txt" "$source" ||
  fail "the tree breaks the module graph (lines above)"

# base (bottom layer) cannot reach wal.
if compile -I"$roots/base" <<<'#include "wal/log_format.h"' 2>/dev/null; then
  fail "base can include wal/log_format.h: the layering is not enforced"
fi
# wal sees itself and base, which it links, and base's public headers.
compile -I"$roots/wal" -I"$roots/base" \
  <<<$'#include "wal/log_format.h"\n#include "base/coding.h"\n#include "strata/env.h"' ||
  fail "wal cannot include its own headers"
# The engine's public headers are db's: parquet (which does not link db) cannot see them,
# and there is no include root holding the whole of include/strata/.
if compile -I"$roots/parquet" -I"$roots/base" <<<'#include "strata/db.h"' 2>/dev/null; then
  fail "parquet can include strata/db.h"
fi
compile -I"$roots/db" -I"$roots/wal" -I"$roots/memtable" -I"$roots/sst" -I"$roots/merge" \
  -I"$roots/base" <<<'#include "strata/db.h"' || fail "db cannot include strata/db.h"
echo "layering: compile checks ok"
