#!/usr/bin/env bash
# The layering of ARCHITECTURE.md is enforced by the build: a module sees only the headers of
# the modules it links. Compiling an include of a higher module with a lower module's include
# paths must fail; the same include with the higher module's own paths must work.
set -euo pipefail
cxx=$1
build=$2
source=$3
roots="$build/include_roots"
fail() { echo "FAIL: $*"; exit 1; }
compile() { "$cxx" -std=c++20 -fsyntax-only -x c++ "$@" - ; }

# base (bottom layer) cannot reach wal.
if compile -I"$roots/base" -I"$source/include" <<<'#include "wal/log_format.h"' 2>/dev/null; then
  fail "base can include wal/log_format.h: the layering is not enforced"
fi
# wal sees itself and base, which it links.
compile -I"$roots/wal" -I"$roots/base" -I"$source/include" \
  <<<$'#include "wal/log_format.h"\n#include "base/coding.h"' || fail "wal cannot include its own headers"
echo "layering: ok"
