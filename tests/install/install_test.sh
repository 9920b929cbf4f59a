#!/usr/bin/env bash
set -euo pipefail
build=$1
consumer=$2
cxx=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
[ -f "$tmp/prefix/include/strata/status.h" ] || fail "public headers not installed"
[ -f "$tmp/prefix/lib/cmake/strata/strataConfig.cmake" ] || fail "CMake package not installed"
[ -f "$tmp/prefix/lib/pkgconfig/strata.pc" ] || fail "pkg-config file not installed"

# 1. CMake: find_package(strata) and link strata::strata.
cmake -S "$consumer" -B "$tmp/cmake-build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null || fail "consumer configure"
cmake --build "$tmp/cmake-build" >/dev/null || fail "consumer build"
"$tmp/cmake-build/consumer" "$tmp/via-cmake.txt" | grep -q "consumer: ok" || fail "consumer run (cmake)"

# 2. pkg-config.
flags=$(PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" pkg-config --cflags --libs strata)
"$cxx" -o "$tmp/consumer-pc" "$consumer/main.cc" $flags || fail "consumer build (pkg-config)"
"$tmp/consumer-pc" "$tmp/via-pkg-config.txt" | grep -q "consumer: ok" || fail "consumer run (pkg-config)"
echo "install: ok"
