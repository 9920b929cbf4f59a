#!/usr/bin/env bash
# The HTML report's time and memory on a batch of about 100 million keys.
#
#   bench/compare/report_at_scale.sh [--copies N] [--rdb FILE]
#
# Dumps FILE once (default strata-data/bench-rdb/big.rdb, made by make_big_rdb.sh when
# missing: about 6.76 million keys), then lays out a batch of N instances (default 15, about
# 101 million keys) whose files are hard links of that one instance file, named
# node-01.parquet ... node-N.parquet, and times
#   strata rdb report from-parquet --dir D --cluster scale --output D/report.html
# with its peak resident memory (GNU time's %M). The files hold the same keys, so the report's
# totals are N times one instance's; what this measures is that the streaming prefix pass
# (a k-way merge over every row of every file) and the merged summaries stay within the
# issue's 256 MiB whatever the number of keys. Printed: keys, seconds, peak RSS MiB.
#
# Environment: STRATA (default build/release/strata), BENCH_DIR (default
# strata-data/bench-report-scale).
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/compare/lib.sh
copies=15
rdb=strata-data/bench-rdb/big.rdb
while [ $# -gt 0 ]; do
  case "$1" in
    --copies) copies=$2; shift ;;
    --rdb) rdb=$2; shift ;;
    *) echo "usage: $0 [--copies N] [--rdb FILE]" >&2; exit 2 ;;
  esac
  shift
done
strata=${STRATA:-build/release/strata}
work=${BENCH_DIR:-strata-data/bench-report-scale}
[ -x "$strata" ] || { echo "build first: make build (or set STRATA)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time missing (/usr/bin/time): scripts/install-deps.sh" >&2; exit 1; }
ensure_big_rdb "$rdb" 0
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

machine_line
echo "strata: $("$strata" --version); file: $rdb; copies: $copies"

"$strata" rdb dump --quiet --batch-timestamp 2026-01-01T00:00:00Z from-file --path "$rdb" \
  --cluster one --instance node into-parquet --dir "$work/one"
source_file=$(find "$work/one" -name 'node.parquet')
keys=$("$strata" parquet inspect "$source_file" | awk '/^rows:/ {print $2}')
batch_dir="$work/lake/cluster=scale/batch=2026-01-01_00-00-00.000Z"
mkdir -p "$batch_dir"
for ((i = 1; i <= copies; i++)); do
  ln "$source_file" "$batch_dir/$(printf 'node-%02d.parquet' "$i")"
done

/usr/bin/time -f "%e %M" "$strata" rdb report from-parquet --dir "$work/lake" --cluster scale \
  --output "$work/report.html" >/dev/null 2>"$work/time.log"
read -r seconds peak_kib < <(tail -1 "$work/time.log")
printf 'keys in the batch: %d (%d files of %d)\n' "$((keys * copies))" "$copies" "$keys"
printf 'strata rdb report: %s s, peak RSS %.0f MiB (target: <= 256 MiB)\n' "$seconds" \
  "$(echo "$peak_kib / 1024" | bc -l)"
