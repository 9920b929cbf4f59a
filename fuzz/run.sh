#!/usr/bin/env bash
# Runs every fuzz target built in BUILD_DIR (the fuzz preset) for SECONDS each, starting from
# the committed corpus. New interesting inputs go to a scratch copy, not into the repository.
# Usage: fuzz/run.sh build/fuzz 60
set -euo pipefail
build=${1:-build/fuzz}
seconds=${2:-60}
root=$(cd "$(dirname "$0")" && pwd)
status=0
for bin in "$build"/fuzz/*_fuzz; do
  name=$(basename "$bin" _fuzz)
  work=$(mktemp -d)
  cp -r "$root/corpus/$name/." "$work/" 2>/dev/null || true
  echo "fuzz: $name for ${seconds}s"
  if ! "$bin" -max_total_time="$seconds" -max_len=100000 -rss_limit_mb=2048 \
      -artifact_prefix="$build/fuzz/$name-" "$work" 2>"$build/fuzz/$name.log"; then
    echo "fuzz: $name FAILED; see $build/fuzz/$name.log and $build/fuzz/$name-*"
    tail -30 "$build/fuzz/$name.log"
    status=1
  else
    tail -1 "$build/fuzz/$name.log"
  fi
  rm -rf "$work"
done
exit $status
