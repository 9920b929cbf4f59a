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
