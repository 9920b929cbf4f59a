#!/usr/bin/env bash
set -euo pipefail
build=$1
consumer=$2
cxx=$3
cxxflags=${4:-}
ldflags=${5:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
[ -f "$tmp/prefix/include/strata/status.h" ] || fail "public headers not installed"
[ -f "$tmp/prefix/lib/cmake/strata/strataConfig.cmake" ] || fail "CMake package not installed"
[ -f "$tmp/prefix/lib/pkgconfig/strata.pc" ] || fail "pkg-config file not installed"

# The package is the engine alone: its libraries, and nothing of Parquet, the RDB tools, the
# sorter or the test library (embedding the engine must not pull them in).
installed=$(cd "$tmp/prefix/lib" && ls *.a | sort | tr '\n' ' ')
expected="libstrata_base.a libstrata_codec.a libstrata_db.a libstrata_memtable.a libstrata_merge.a libstrata_sst.a libstrata_wal.a "
[ "$installed" = "$expected" ] || fail "installed libraries: $installed (expected $expected)"
libs=$(PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" pkg-config --libs strata)
for outside in parquet sort rdb testing bench spdlog fmt; do
  if grep -qw -- "-l\(strata_\)\?$outside" <<<"$libs"; then fail "strata.pc links $outside: $libs"; fi
done
# Nor does any installed file name the test library, or an installed header a test Env.
if grep -rIl -e "strata_testing" -e "strata::testing" "$tmp/prefix"; then
  fail "an installed file names the test library strata_testing"
fi
if grep -rl -e "MemEnv" -e "ErrorInjectionEnv" -e "FaultInjectionEnv" "$tmp/prefix/include"; then
  fail "an installed header names a test Env"
fi

# 1. CMake: find_package(strata) and link strata::strata.
cmake -S "$consumer" -B "$tmp/cmake-build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_CXX_FLAGS="$cxxflags" \
  -DCMAKE_EXE_LINKER_FLAGS="$ldflags" >/dev/null || fail "consumer configure"
cmake --build "$tmp/cmake-build" > "$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; fail "consumer build"; }
grep -q "consumer: ok" <<<"$("$tmp/cmake-build/consumer" "$tmp/db-cmake")" || fail "consumer run (cmake)"

# 2. pkg-config.
flags=$(PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" pkg-config --cflags --libs strata)
"$cxx" $cxxflags -o "$tmp/consumer-pc" "$consumer/main.cc" $flags $ldflags || fail "consumer build (pkg-config)"
grep -q "consumer: ok" <<<"$("$tmp/consumer-pc" "$tmp/db-pkg-config")" || fail "consumer run (pkg-config)"
echo "install: ok"
