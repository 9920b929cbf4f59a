#!/usr/bin/env bash
# The RDB dump against redis-check-rdb, on one large RDB file.
#
#   bench/compare/rdb_vs_redis_check.sh [--runs N] [--rdb FILE] [--regen]
#
# The file (default strata-data/bench-rdb/big.rdb, made by make_big_rdb.sh when missing or
# with --regen: about 1.3 GB, mixed types and sizes, expiries, four databases, a 64 MiB
# string, a 1,000,000-field hash) is read by both programs, alternately, N times:
#   redis-check-rdb FILE
#   strata rdb dump --quiet from-file --path FILE --cluster bench into-parquet --dir D
#       (parse, external sort, zstd Parquet; default settings)
#   strata rdb report from-parquet --dir D --cluster bench --output D/report.html
# Each is timed (wall seconds) with its peak resident memory (GNU time's %M). Printed: every
# run, then the medians, the ratio redis-check-rdb time / dump time (above 1: the dump is
# faster), and the peak memory of the dump and of the report against 256 MiB.
#
# Environment: STRATA (default build/release/strata), BENCH_DIR (default
# strata-data/bench-rdb-compare) for the lake.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/compare/lib.sh
runs=3
rdb=strata-data/bench-rdb/big.rdb
regen=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift ;;
    --rdb) rdb=$2; shift ;;
    --regen) regen=1 ;;
    *) echo "usage: $0 [--runs N] [--rdb FILE] [--regen]" >&2; exit 2 ;;
  esac
  shift
done
strata=${STRATA:-build/release/strata}
work=${BENCH_DIR:-strata-data/bench-rdb-compare}
[ -x "$strata" ] || { echo "build first: make build (or set STRATA)" >&2; exit 1; }
command -v redis-check-rdb >/dev/null || { echo "redis-check-rdb missing: scripts/install-deps.sh" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time missing (/usr/bin/time): scripts/install-deps.sh" >&2; exit 1; }
ensure_big_rdb "$rdb" "$regen"
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

machine_line
echo "strata: $("$strata" --version); $(redis-check-rdb --version 2>/dev/null | head -1 || true)"
echo "file: $rdb, $(stat -c %s "$rdb") bytes; $runs run(s)"

# timed LABEL CMD...: runs CMD, prints "LABEL <seconds> <peak KiB>".
timed() {
  local label=$1
  shift
  local out
  out=$( { /usr/bin/time -f "%e %M" "$@" >/dev/null 2>"$work/stderr.log"; } 2>&1 ) || true
  # GNU time appends its line to the command's stderr, which went to the log.
  out=$(tail -1 "$work/stderr.log")
  echo "$label $out"
}

results=$work/results.txt
: >"$results"
for ((i = 1; i <= runs; i++)); do
  timed redis-check-rdb redis-check-rdb "$rdb" | tee -a "$results"
  rm -rf "$work/lake"
  timed dump "$strata" rdb dump --quiet --batch-timestamp "2026-01-01T00:00:0${i}Z" from-file \
    --path "$rdb" --cluster bench into-parquet --dir "$work/lake" | tee -a "$results"
  timed report "$strata" rdb report from-parquet --dir "$work/lake" --cluster bench \
    --output "$work/report.html" | tee -a "$results"
done

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { awk -v l="$1" -v c="$2" '$1 == l {print $c}' "$results" | median; }
check=$(col redis-check-rdb 2); dump=$(col dump 2); report=$(col report 2)
dump_rss=$(col dump 3); report_rss=$(col report 3); check_rss=$(col redis-check-rdb 3)
echo
echo "| program | seconds (median) | peak RSS MiB | target |"
echo "|---|---:|---:|---|"
printf '| redis-check-rdb | %s | %.0f | |\n' "$check" "$(echo "$check_rss / 1024" | bc -l)"
printf '| strata rdb dump (parse + sort + zstd Parquet) | %s | %.0f | >= 3x faster, <= 256 MiB |\n' \
  "$dump" "$(echo "$dump_rss / 1024" | bc -l)"
printf '| strata rdb report | %s | %.0f | <= 10 s, <= 256 MiB |\n' "$report" \
  "$(echo "$report_rss / 1024" | bc -l)"
printf '\nspeed-up of the dump over redis-check-rdb: %.2fx\n' "$(echo "$check / $dump" | bc -l)"
