#!/usr/bin/env bash
# The write-ahead log's targets, measured against RocksDB's db_bench in the same run.
#
#   bench/compare/wal_vs_rocksdb.sh [RUNS]     (default 3 runs of each; medians reported)
#
# 1. sync=always, 16 writers: `strata bench wal` against
#    `db_bench --benchmarks=fillsync --threads=16 --num=2000 --value_size=100`
#    (16 x 2000 synced writes). db_bench logs a WriteBatch per op: 12-byte header, type byte,
#    varint lengths, 16-byte key and 100-byte value = 131 bytes, so Strata appends 131-byte
#    records: the same bytes through the log per acknowledged write.
# 2. sync=always: 16 writers against 1 writer (group commit), target >= 5x.
# 3. sync=none, 1 writer, 100-byte records: p99 append latency, target < 10 us.
# 4. Replay of a ~107 MB log from the page cache, target >= 1 GB/s.
# Both programs write under the same directory (same file system).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
strata=${STRATA:-build/release/strata}
work=${BENCH_DIR:-strata-data/bench-compare}
[ -x "$strata" ] || { echo "build first: make build" >&2; exit 1; }
command -v db_bench >/dev/null || { echo "db_bench missing: scripts/install-deps.sh" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"

field() { sed -E "s/.*\"$1\":([0-9.]+).*/\1/" <<<"$2"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo "strata: $("$strata" --version); db_bench: $(db_bench --version 2>&1 | head -1)"

rocks=(); s16=(); s1=(); p99=(); replay=()
for r in $(seq 1 "$runs"); do
  rm -rf "$work/rocksdb"
  out=$(db_bench --benchmarks=fillsync --threads=16 --num=2000 --value_size=100 \
        --db="$work/rocksdb" 2>&1 | grep '^fillsync')
  rocks+=("$(sed -E 's/.* ([0-9]+) ops\/sec.*/\1/' <<<"$out")")
  j=$("$strata" bench wal --writers 16 --sync always --records 32000 --value-size 131 --dir "$work/strata")
  s16+=("$(field records_per_s "$j")")
  j=$("$strata" bench wal --writers 1 --sync always --records 2000 --value-size 131 --dir "$work/strata")
  s1+=("$(field records_per_s "$j")")
  j=$("$strata" bench wal --writers 1 --sync none --records 1000000 --value-size 100 --replay \
      --dir "$work/strata")
  p99+=("$(field p99_us "$j")")
  replay+=("$(field replay_gb_per_s "$j")")
  echo "run $r: rocksdb fillsync ${rocks[-1]} ops/s | strata 16w always ${s16[-1]} rec/s," \
       "1w always ${s1[-1]} rec/s | none p99 ${p99[-1]} us | replay ${replay[-1]} GB/s"
done
rm -rf "$work"

m_rocks=$(printf '%s\n' "${rocks[@]}" | median)
m_s16=$(printf '%s\n' "${s16[@]}" | median)
m_s1=$(printf '%s\n' "${s1[@]}" | median)
m_p99=$(printf '%s\n' "${p99[@]}" | median)
m_replay=$(printf '%s\n' "${replay[@]}" | median)
echo
echo "medians of $runs runs               strata        anchor        ratio   target"
printf "sync=always 16 writers (rec/s)  %12.0f  %12.0f  %7s   >= 1.0 vs db_bench fillsync\n" \
  "$m_s16" "$m_rocks" "$(ratio "$m_s16" "$m_rocks")"
printf "sync=always 16 vs 1 writer      %12.0f  %12.0f  %7s   >= 5.0\n" \
  "$m_s16" "$m_s1" "$(ratio "$m_s16" "$m_s1")"
printf "sync=none p99 append (us)       %12s  %12s  %7s   < 10\n" "$m_p99" "-" "-"
printf "replay (GB/s)                   %12s  %12s  %7s   >= 1.0\n" "$m_replay" "-" "-"
