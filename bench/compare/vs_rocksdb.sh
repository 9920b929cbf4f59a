#!/usr/bin/env bash
# The storage engine against RocksDB: db_bench workloads, the same flags given to both.
#
#   bench/compare/vs_rocksdb.sh [--quick] [--runs N] [--only NAME[,NAME...]]
#
# Suites: none, lz4, t2, large (below). --only takes suite names and workload names
# (`--only fillrandom,readrandom` runs those two in every suite); a workload that runs on the
# fillrandom DB brings that fill along.
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
# is on in both, with the same sync setting. Both result lines are parsed with the same regex.
#
# With --runs N the whole sequence runs N times and the table shows the median of each
# figure. Columns: ops/s of each engine and the ratio strata/rocksdb (above 1: Strata faster);
# after each fill and the overwrite, the bytes of each DB directory (du -sb) once the process
# has exited, and again once each engine has reopened its DB and finished the flushes and
# compactions left (db_bench's waitforcompaction, `strata bench db`'s equivalent; untimed),
# so the read workloads that follow run on settled DBs in both; for the read workloads, each process's peak resident memory (VmRSS sampled every
# 50 ms over the whole process) against the bound block cache + 2 write buffers + 64 MiB.
#
# Environment: STRATA (default build/release/strata), DB_BENCH (default db_bench),
# BENCH_DIR (default strata-data/bench-compare), CACHE_SIZE (default 8388608).
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/compare/lib.sh
quick=0
runs=1
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --runs) runs=$2; shift ;;
    --only) only=$2; shift ;;
    *) echo "usage: $0 [--quick] [--runs N] [--only SUITE|WORKLOAD,...]" >&2; exit 2 ;;
  esac
  shift
done
strata=${STRATA:-build/release/strata}
db_bench=${DB_BENCH:-db_bench}
work=${BENCH_DIR:-strata-data/bench-compare}
cache=${CACHE_SIZE:-8388608}
write_buffer=67108864
base_num=1000000
[ "$quick" = 1 ] && base_num=200000
[ -x "$strata" ] || { echo "build first: make build (or set STRATA)" >&2; exit 1; }
command -v "$db_bench" >/dev/null || { echo "db_bench missing: scripts/install-deps.sh" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

common=(--key_size=16 --value_size=100 --bloom_bits=10 "--cache_size=$cache"
        "--write_buffer_size=$write_buffer" --sync=0)
# Resident memory allowed during reads: block cache + two write buffers (the active memtable
# and one being flushed) + 64 MiB.
rss_bound=$(( (cache + 2 * write_buffer + 64 * 1048576) / 1048576 ))

# The one regex both outputs are read with: "<name> : <x> micros/op <n> ops/sec ...".
result_re='^([a-z]+) +: +([0-9.]+) micros/op ([0-9]+) ops/sec ([0-9.]+) seconds ([0-9]+) operations;'

# program_of ENGINE : sets the caller's array cmd to ENGINE's benchmark program.
program_of() {
  if [ "$1" = strata ]; then cmd=("$strata" bench db); else cmd=("$db_bench"); fi
}

# run ENGINE DIR WORKLOAD FLAG... : runs one workload; prints its result line, then a line
# "rss <peak MiB>".
run() {
  local engine=$1 dir=$2 workload=$3
  shift 3
  local cmd line pid peak=0 rss
  program_of "$engine"
  cmd+=("--benchmarks=$workload" "--db=$dir" "${common[@]}" "$@")
  mkdir -p "$(dirname "$dir")"  # db_bench creates the DB directory but not its parents
  # db_bench writes its progress to stderr; keep it for the error report only.
  "${cmd[@]}" >"$work/stdout" 2>"$work/stderr" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$rss" ] && [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 0.05
  done
  if ! wait "$pid"; then
    echo "FAILED: ${cmd[*]}" >&2
    cat "$work/stdout" >&2
    tail -20 "$work/stderr" >&2
    exit 1
  fi
  line=$(grep -E "$result_re" "$work/stdout" | grep -E "^$workload +:" || true)
  if [ -z "$line" ]; then
    echo "no result line for $workload from: ${cmd[*]}" >&2
    cat "$work/stdout" >&2
    exit 1
  fi
  echo "$line"
  echo "rss $((peak / 1024))"
}

# settle ENGINE DIR FLAG... : reopens DIR and waits until its flushes and compactions are done.
settle() {
  local engine=$1 dir=$2
  shift 2
  local cmd
  program_of "$engine"
  cmd+=(--benchmarks=waitforcompaction "--db=$dir" --use_existing_db=1 "${common[@]}" "$@")
  if ! "${cmd[@]}" >"$work/stdout" 2>"$work/stderr"; then
    echo "FAILED: ${cmd[*]}" >&2
    tail -20 "$work/stderr" >&2
    exit 1
  fi
}

ops_of() { sed -E "s#$result_re.*#\3#" <<<"$1"; }
found_of() { grep -oE '\([0-9]+ of [0-9]+ found\)' <<<"$1" | sed -E 's/[()]| found//g' || true; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a/b; else print "-"}'; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

machine_line
echo "strata: $("$strata" --version); db_bench: $("$db_bench" --version 2>&1 | head -1)"
echo "common flags: ${common[*]}; $runs run(s), medians; memory bound during reads: $rss_bound MiB"
echo

# Per table row (in order of first appearance): its label and the figures of every run.
declare -a row_label row_note
declare -A fig  # "<row>,<field>" -> space-separated values over runs
row=0
step=0
# measure LABEL WORKLOAD FILL(0/1) FLAG... : both engines, one workload, one table row.
measure() {
  local label=$1 workload=$2 fill=$3
  shift 3
  local flags=("$@") r s out_r out_s note shown=() f rr rs
  # Both programs get the same seed; each step another, so the keys a read workload draws are
  # independent of those the fill wrote (about 63% of random reads find their key). Steps are
  # 1000 apart because db_bench derives a thread's seed as the base plus the thread's index.
  step=$((step + 1))
  flags+=("--seed=$((step * 1000))")
  out_r=$(run rocksdb "$work/$label/rocksdb" "$workload" "${flags[@]}")
  out_s=$(run strata "$work/$label/strata" "$workload" "${flags[@]}")
  r=$(head -1 <<<"$out_r")
  s=$(head -1 <<<"$out_s")
  rr=$(sed -n 's/^rss //p' <<<"$out_r")
  rs=$(sed -n 's/^rss //p' <<<"$out_s")
  echo "rocksdb $r [peak rss ${rr} MiB]"
  echo "strata  $s [peak rss ${rs} MiB]"
  for f in "${flags[@]}"; do
    [[ "$f" == --use_existing_db=* || "$f" == --seed=* ]] || shown+=("$f")
  done
  row_label[$row]="| $workload | ${shown[*]}"
  fig["$row,s"]+=" $(ops_of "$s")"
  fig["$row,r"]+=" $(ops_of "$r")"
  if [ "$fill" = 1 ]; then
    local dir_r="$work/$label/rocksdb" dir_s="$work/$label/strata"
    fig["$row,sb"]+=" $(du -sb "$dir_s" | cut -f1)"
    fig["$row,rb"]+=" $(du -sb "$dir_r" | cut -f1)"
    # Then each engine reopens its DB and finishes the flushes and compactions the fill left
    # (db_bench's waitforcompaction): bytes once settled, independent of how far each
    # engine's background work got before its process exited.
    settle rocksdb "$dir_r" "${shown[@]}"
    settle strata "$dir_s" "${shown[@]}"
    fig["$row,ss"]+=" $(du -sb "$dir_s" | cut -f1)"
    fig["$row,rs"]+=" $(du -sb "$dir_r" | cut -f1)"
  fi
  if [[ "$workload" == read* || "$workload" == seek* ]]; then
    fig["$row,srss"]+=" $rs"
    fig["$row,rrss"]+=" $rr"
  fi
  note=""
  if [ -n "$(found_of "$s")" ]; then
    # (db_bench counts the found keys of one reader thread only; strata bench db of all.)
    note="found: strata $(found_of "$s"), rocksdb $(found_of "$r")"
  fi
  row_note[$row]=$note
  row=$((row + 1))
}

# suite LABEL NUM WORKLOADS FLAG... : fillseq on its own DB, then fillrandom and the rest on one DB.
suite() {
  local label=$1 num=$2 workloads=$3
  shift 3
  local w wanted=""
  for w in ${workloads//,/ }; do
    if [ -z "$only" ] || [[ ",$only," == *",$label,"* || ",$only," == *",$w,"* ]]; then
      wanted+=",$w"
    fi
  done
  [ -z "$wanted" ] && return 0
  # Every workload but fillseq runs on the DB fillrandom leaves.
  [[ "$wanted" != ",fillseq" && "$wanted," != *",fillrandom,"* ]] && wanted+=",fillrandom"
  for w in ${workloads//,/ }; do
    [[ "$wanted," == *",$w,"* ]] || continue
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
for ((run_index = 1; run_index <= runs; run_index++)); do
  echo "--- run $run_index of $runs"
  row=0
  step=0
  suite none "$base_num" "$all" --compression_type=none --threads=1
  suite lz4 "$base_num" "$all" --compression_type=lz4 --threads=1
  suite t2 "$base_num" fillrandom,readrandom --compression_type=none --threads=2
  if [ "$quick" = 0 ]; then
    suite large 10000000 fillrandom,readrandom --compression_type=none --threads=1
  fi
done

med() { local v=${fig["$1"]:-}; if [ -z "$v" ]; then echo "-"; else tr ' ' '\n' <<<"$v" | grep . | median; fi; }

echo
echo "| workload | flags | strata ops/s | rocksdb ops/s | ratio | strata bytes | rocksdb bytes |" \
     "strata bytes settled | rocksdb bytes settled | strata peak RSS MiB | rocksdb peak RSS MiB |" \
     "notes |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for ((i = 0; i < ${#row_label[@]}; i++)); do
  s=$(med "$i,s")
  r=$(med "$i,r")
  printf '%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${row_label[$i]}" "$s" \
    "$r" "$(ratio "$s" "$r")" "$(med "$i,sb")" "$(med "$i,rb")" "$(med "$i,ss")" \
    "$(med "$i,rs")" "$(med "$i,srss")" "$(med "$i,rrss")" "${row_note[$i]}"
done
echo
echo "memory bound during reads (block cache + 2 write buffers + 64 MiB): $rss_bound MiB"
