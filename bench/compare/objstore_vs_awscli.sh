#!/usr/bin/env bash
# strata obj against the AWS CLI, both talking to the same S3 server (moto) in the same run.
#
#   bench/compare/objstore_vs_awscli.sh [--runs N] [--keep] [--big-mib N] [--small-count N]
#                                       [--small-kib N]
#
# moto_server is started on a free loopback port (and stopped on exit), a bucket made, and the
# inputs generated: one file of --big-mib MiB (default 1024) and --small-count files of
# --small-kib KiB (default 1000 of 64), random bytes. The download sources are uploaded once,
# by aws, before any timing. Then, N runs (default 3), each operation by both programs, strata
# first in odd runs and aws first in even ones:
#   upload big      strata obj put FILE s3://B/up/strata/big    aws s3 cp FILE s3://B/up/aws/big
#   download big    strata obj get s3://B/src/big FILE          aws s3 cp s3://B/src/big FILE
#   upload small    strata obj put -r DIR s3://B/up/...         aws s3 cp --recursive DIR ...
#   download small  strata obj get -r s3://B/src/small DIR      aws s3 cp --recursive ... DIR
# Both with their default settings (strata: parts of 16 MiB, 4 in flight, download ranges of
# 64 MiB, 10 objects at once; aws: parts of 8 MiB, 10 requests at once). Each command is timed (wall seconds) with its peak
# resident memory (GNU time's %M); every download is compared with its source (untimed).
# Printed: every measurement, then a table of medians, throughput in MB/s (10^6 bytes) for
# both, the ratio strata/aws of throughputs (above 1: strata faster), and strata's peak RSS
# for the big transfers. moto is a Python server: absolute figures say more about it than
# about either client; the ratio is the point.
#
# Environment: STRATA (default build/release/strata), BENCH_DIR (default
# strata-data/bench-objstore-compare), MOTO_SERVER and AWS_CLI (default: on PATH, else
# ~/.pyenv/shims). --keep keeps BENCH_DIR (inputs and downloads) and reuses its inputs.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/compare/lib.sh
usage="usage: $0 [--runs N] [--keep] [--big-mib N] [--small-count N] [--small-kib N]"
runs=3
keep=0
big_mib=1024
small_count=1000
small_kib=64
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift ;;
    --keep) keep=1 ;;
    --big-mib) big_mib=$2; shift ;;
    --small-count) small_count=$2; shift ;;
    --small-kib) small_kib=$2; shift ;;
    -h | --help) echo "$usage"; exit 0 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done
for n in "$runs" "$big_mib" "$small_count" "$small_kib"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "$usage (N: a positive integer, not '$n')" >&2; exit 2; }
done
find_tool() {  # find_tool NAME: on PATH, else ~/.pyenv/shims/NAME
  command -v "$1" 2>/dev/null || { [ -x "$HOME/.pyenv/shims/$1" ] && echo "$HOME/.pyenv/shims/$1"; } || true
}
strata=${STRATA:-build/release/strata}
work=${BENCH_DIR:-strata-data/bench-objstore-compare}
moto=${MOTO_SERVER:-$(find_tool moto_server)}
# Debian's awscli (v2) first, the one the issue names; else whatever aws is on PATH.
aws_cli=${AWS_CLI:-$( [ -x /usr/bin/aws ] && echo /usr/bin/aws || find_tool aws )}
[ -x "$strata" ] || { echo "build first: make build (or set STRATA)" >&2; exit 1; }
[ -n "$moto" ] || { echo "moto_server missing (pip install 'moto[server]', or set MOTO_SERVER)" >&2; exit 1; }
[ -n "$aws_cli" ] || { echo "aws missing (pip install awscli, or set AWS_CLI)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time missing (/usr/bin/time): scripts/install-deps.sh" >&2; exit 1; }
strata=$(realpath "$strata")
[ "$keep" = 1 ] || rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)

moto_pid=""
cleanup() {
  if [ -n "$moto_pid" ]; then
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
  fi
  if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# Both clients read credentials and region from the environment alone.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=$work/no-aws-config AWS_SHARED_CREDENTIALS_FILE=$work/no-aws-credentials
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_REGION AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
endpoint=http://127.0.0.1:$port
"$moto" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 300); do
  curl -s -o /dev/null "$endpoint/" && break
  kill -0 "$moto_pid" 2>/dev/null || { echo "moto_server exited:" >&2; cat "$work/moto.log" >&2; exit 1; }
  sleep 0.1
done
curl -s -o /dev/null "$endpoint/" || { echo "moto_server not ready after 30 s" >&2; exit 1; }
bucket='strata-bench'
b=s3://$bucket
aws() { "$aws_cli" --endpoint-url "$endpoint" "$@"; }
aws s3api create-bucket --bucket "$bucket" >/dev/null

# Inputs, made once (and kept with --keep).
big=$work/in/big.bin
small=$work/in/small
big_bytes=$((big_mib * 1024 * 1024))
small_bytes=$((small_count * small_kib * 1024))
if [ ! -f "$big" ] || [ "$(stat -c %s "$big")" != "$big_bytes" ]; then
  mkdir -p "$work/in"
  head -c "$big_bytes" /dev/urandom >"$big"
fi
if [ ! -d "$small" ] || [ "$(find "$small" -type f | wc -l)" != "$small_count" ] ||
   [ "$(du -sb --apparent-size "$small" | cut -f1)" -lt "$small_bytes" ]; then
  rm -rf "$small" && mkdir -p "$small"
  for ((i = 0; i < small_count; i++)); do
    head -c $((small_kib * 1024)) /dev/urandom >"$small/$(printf 'f%05d' "$i")"
  done
fi
aws s3 cp --quiet "$big" "$b/src/big.bin"
aws s3 cp --quiet --recursive "$small" "$b/src/small"

machine_line
echo "strata: $("$strata" --version); $("$aws_cli" --version 2>&1 | head -1); moto_server: $moto"
echo "big: $big_mib MiB; small: $small_count x $small_kib KiB; $runs run(s); endpoint $endpoint"

results=$work/results.txt
: >"$results"
# timed OP TOOL CMD...: runs CMD, appends "OP TOOL <seconds> <peak KiB>" to the results.
timed() {
  local op=$1 tool=$2
  shift 2
  if ! /usr/bin/time -f "%e %M" "$@" >"$work/stdout.log" 2>"$work/stderr.log"; then
    echo "$op by $tool failed: $*" >&2
    cat "$work/stderr.log" >&2
    exit 1
  fi
  # GNU time appends its line to the command's stderr.
  echo "$op $tool $(tail -1 "$work/stderr.log")" | tee -a "$results"
}
# run_op OP TOOL: one operation by one tool, its output checked.
run_op() {
  local op=$1 tool=$2
  local out=$work/out/$tool
  case "$op/$tool" in
    up-big/strata) timed "$op" "$tool" "$strata" obj put --endpoint-url "$endpoint" "$big" "$b/up/strata/big.bin" ;;
    up-big/aws) timed "$op" "$tool" "$aws_cli" --endpoint-url "$endpoint" s3 cp --quiet "$big" "$b/up/aws/big.bin" ;;
    down-big/*)
      rm -rf "$out" && mkdir -p "$out"
      if [ "$tool" = strata ]; then
        timed "$op" "$tool" "$strata" obj get --endpoint-url "$endpoint" "$b/src/big.bin" "$out/big.bin"
      else
        timed "$op" "$tool" "$aws_cli" --endpoint-url "$endpoint" s3 cp --quiet "$b/src/big.bin" "$out/big.bin"
      fi
      cmp "$big" "$out/big.bin" || { echo "$tool downloaded the big object wrong" >&2; exit 1; }
      ;;
    up-small/strata) timed "$op" "$tool" "$strata" obj put -r --endpoint-url "$endpoint" "$small" "$b/up/strata/small" ;;
    up-small/aws) timed "$op" "$tool" "$aws_cli" --endpoint-url "$endpoint" s3 cp --quiet --recursive "$small" "$b/up/aws/small" ;;
    down-small/*)
      rm -rf "$out" && mkdir -p "$out"
      if [ "$tool" = strata ]; then
        timed "$op" "$tool" "$strata" obj get -r --endpoint-url "$endpoint" "$b/src/small" "$out/small"
      else
        timed "$op" "$tool" "$aws_cli" --endpoint-url "$endpoint" s3 cp --quiet --recursive "$b/src/small" "$out/small"
      fi
      diff -r "$small" "$out/small" >/dev/null || { echo "$tool downloaded the small objects wrong" >&2; exit 1; }
      ;;
  esac
}

for ((r = 1; r <= runs; r++)); do
  if ((r % 2 == 1)); then order="strata aws"; else order="aws strata"; fi
  echo "run $r ($order)"
  for op in up-big down-big up-small down-small; do
    for tool in $order; do run_op "$op" "$tool"; done
  done
done

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { awk -v o="$1" -v t="$2" -v c="$3" '$1 == o && $2 == t {print $c}' "$results" | median; }
peak() { awk -v o="$1" -v t="$2" '$1 == o && $2 == t && $4 > m {m = $4} END {print m}' "$results"; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN {printf "%.1f", (s > 0 ? b / 1e6 / s : 0)}'; }
echo
echo "| operation | strata s | aws s | strata MB/s | aws MB/s | strata/aws | strata peak RSS MiB | aws peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for op in up-big down-big up-small down-small; do
  case "$op" in
    up-big) label="upload $big_mib MiB"; bytes=$big_bytes ;;
    down-big) label="download $big_mib MiB"; bytes=$big_bytes ;;
    up-small) label="upload $small_count x $small_kib KiB"; bytes=$small_bytes ;;
    down-small) label="download $small_count x $small_kib KiB"; bytes=$small_bytes ;;
  esac
  s=$(col "$op" strata 3)
  a=$(col "$op" aws 3)
  sm=$(mbps "$bytes" "$s")
  am=$(mbps "$bytes" "$a")
  printf '| %s | %s | %s | %s | %s | %s | %.0f | %.0f |\n' "$label" "$s" "$a" "$sm" "$am" \
    "$(awk -v s="$s" -v a="$a" 'BEGIN {printf "%.2f", (s > 0 ? a / s : 0)}')" \
    "$(echo "$(peak "$op" strata) / 1024" | bc -l)" "$(echo "$(peak "$op" aws) / 1024" | bc -l)"
done
echo
echo "medians of $runs run(s); strata/aws above 1: strata faster; peak RSS: the largest of the runs"
