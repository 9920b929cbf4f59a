#!/usr/bin/env bash
# The storage engine against RocksDB: db_bench workloads, the same flags given to both.
#
#   bench/compare/vs_rocksdb.sh [--quick]
#
# Runs RocksDB's `db_bench` (Debian rocksdb-tools) and `strata bench db` with identical flags,
# each in its own fresh directory under strata-data/bench-compare/, alternating the two
# programs workload by workload so both see the same machine state:
#   1. --compression_type=none --threads=1: fillseq; fillrandom, then on that DB readrandom,
#      readseq, seekrandom, overwrite, readwhilewriting (each a separate process with
#      --use_existing_db=1, as db_bench runs are usually chained);
#   2. the same with --compression_type=lz4;
#   3. --threads=2: fillrandom, then readrandom;
#   4. --num=10000000: fillrandom, then readrandom (left out with --quick).
# Common flags: --num=1000000 (200000 with --quick) --key_size=16 --value_size=100
# --bloom_bits=10 --cache_size=8388608 --write_buffer_size=67108864 --sync=0, and
# --seed=<1000 x step> (the same for both programs, another for every step); the WAL
# is on in both. Both result lines are parsed with the same regex. The table (Markdown) gives
# ops/s, the ratio strata/rocksdb (above 1: Strata faster) and, after each fill and the
# overwrite, the bytes of each DB directory (du -sb) once the process has exited.
#
# Environment: STRATA (default build/release/strata), DB_BENCH (default db_bench),
# BENCH_DIR (default strata-data/bench-compare), CACHE_SIZE (default 8388608).
set -euo pipefail
cd "$(dirname "$0")/../.."
quick=0
case "${1:-}" in
  --quick) quick=1 ;;
  "") ;;
  *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
esac
strata=${STRATA:-build/release/strata}
db_bench=${DB_BENCH:-db_bench}
work=${BENCH_DIR:-strata-data/bench-compare}
cache=${CACHE_SIZE:-8388608}
num=1000000
[ "$quick" = 1 ] && num=200000
[ -x "$strata" ] || { echo "build first: make build (or set STRATA)" >&2; exit 1; }
command -v "$db_bench" >/dev/null || { echo "db_bench missing: scripts/install-deps.sh" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

common=(--key_size=16 --value_size=100 --bloom_bits=10 "--cache_size=$cache"
        --write_buffer_size=67108864 --sync=0)

# The one regex both outputs are read with: "<name> : <x> micros/op <n> ops/sec ...".
result_re='^([a-z]+) +: +([0-9.]+) micros/op ([0-9]+) ops/sec ([0-9.]+) seconds ([0-9]+) operations;'

# run ENGINE DIR WORKLOAD FLAG... : runs one workload, prints its result line.
run() {
  local engine=$1 dir=$2 workload=$3
  shift 3
  local cmd out line
  if [ "$engine" = strata ]; then
    cmd=("$strata" bench db)
  else
    cmd=("$db_bench")
  fi
  cmd+=("--benchmarks=$workload" "--db=$dir" "${common[@]}" "$@")
  mkdir -p "$(dirname "$dir")"  # db_bench creates the DB directory but not its parents
  # db_bench writes its progress to stderr; keep it for the error report only.
  if ! out=$("${cmd[@]}" 2>"$work/stderr"); then
    echo "FAILED: ${cmd[*]}" >&2
    echo "$out" >&2
    tail -20 "$work/stderr" >&2
    exit 1
  fi
  line=$(grep -E "$result_re" <<<"$out" | grep -E "^$workload +:" || true)
  if [ -z "$line" ]; then
    echo "no result line for $workload from: ${cmd[*]}" >&2
    echo "$out" >&2
    exit 1
  fi
  echo "$line"
}

ops_of() { sed -E "s#$result_re.*#\3#" <<<"$1"; }
found_of() { grep -oE '\([0-9]+ of [0-9]+ found\)' <<<"$1" | sed -E 's/[()]| found//g' || true; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a/b; else print "-"}'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
     "$(date -u +%F)"
echo "strata: $("$strata" --version); db_bench: $("$db_bench" --version 2>&1 | head -1)"
echo "common flags: --num=$num ${common[*]}"
echo

rows=()
step=0
# measure LABEL WORKLOAD FILL(0/1) FLAG... : both engines, one workload, one table row.
measure() {
  local label=$1 workload=$2 fill=$3
  shift 3
  local flags=("$@") r s rb sb note
  # Both programs get the same seed; each step another, so the keys a read workload draws are
  # independent of those the fill wrote (about 63% of random reads find their key). Steps are
  # 1000 apart because db_bench derives a thread's seed as the base plus the thread's index.
  step=$((step + 1))
  flags+=("--seed=$((step * 1000))")
  r=$(run rocksdb "$work/$label/rocksdb" "$workload" "${flags[@]}")
  s=$(run strata "$work/$label/strata" "$workload" "${flags[@]}")
  echo "rocksdb $r"
  echo "strata  $s"
  rb="-"
  sb="-"
  if [ "$fill" = 1 ]; then
    rb=$(du -sb "$work/$label/rocksdb" | cut -f1)
    sb=$(du -sb "$work/$label/strata" | cut -f1)
  fi
  note=""
  if [ -n "$(found_of "$s")" ]; then
    # (db_bench counts the found keys of one reader thread only; strata bench db of all.)
    note="found: strata $(found_of "$s"), rocksdb $(found_of "$r")"
  fi
  local shown=() f
  for f in "${flags[@]}"; do
    [[ "$f" == --use_existing_db=* || "$f" == --seed=* ]] || shown+=("$f")
  done
  rows+=("$(printf '| %s | %s | %s | %s | %s | %s | %s | %s |' "$workload" "${shown[*]}" \
    "$(ops_of "$s")" "$(ops_of "$r")" "$(ratio "$(ops_of "$s")" "$(ops_of "$r")")" \
    "$sb" "$rb" "$note")")
}

# suite LABEL WORKLOADS FLAG... : fillseq on its own DB, then fillrandom and the rest on one DB.
suite() {
  local label=$1 workloads=$2
  shift 2
  local w
  for w in ${workloads//,/ }; do
    case "$w" in
      fillseq) measure "$label-seq" fillseq 1 --num="$num" "$@" ;;
      fillrandom) measure "$label" fillrandom 1 --num="$num" "$@" ;;
      overwrite) measure "$label" overwrite 1 --num="$num" --use_existing_db=1 "$@" ;;
      *) measure "$label" "$w" 0 --num="$num" --use_existing_db=1 "$@" ;;
    esac
  done
  rm -rf "${work:?}/$label" "${work:?}/$label-seq"
}

all=fillseq,fillrandom,readrandom,readseq,seekrandom,overwrite,readwhilewriting
suite none "$all" --compression_type=none --threads=1
suite lz4 "$all" --compression_type=lz4 --threads=1
suite t2 fillrandom,readrandom --compression_type=none --threads=2
if [ "$quick" = 0 ]; then
  num=10000000
  suite large fillrandom,readrandom --compression_type=none --threads=1
fi

echo
echo "| workload | flags | strata ops/s | rocksdb ops/s | ratio | strata bytes | rocksdb bytes |" \
     "notes |"
echo "|---|---|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
