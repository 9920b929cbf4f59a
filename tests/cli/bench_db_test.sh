#!/usr/bin/env bash
# strata bench db: every db_bench-style result line is printed and parses, and reads find
# every key of a fillseq.
set -euo pipefail
strata=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Output is captured before grep: `cmd | grep -q` can fail under pipefail.
out=$("$strata" bench db --benchmarks=fillseq,readrandom,readseq,readreverse,seekrandom \
      --num=2000 --db="$tmp/db")
echo "$out"
for header in Keys: Values: Entries: Compression:; do
  grep -q "^$header" <<<"$out" || fail "header lacks $header"
done
re='^([a-z]+) +: +([0-9.]+) micros/op ([0-9]+) ops/sec ([0-9.]+) seconds ([0-9]+) operations;'
for w in fillseq readrandom readseq readreverse seekrandom; do
  line=$(grep -E "^$w +: " <<<"$out") || fail "no result line for $w"
  [[ "$line" =~ $re ]] || fail "$w line does not parse: $line"
  [ "${BASH_REMATCH[1]}" = "$w" ] || fail "$w line names ${BASH_REMATCH[1]}"
  [ "${BASH_REMATCH[3]}" -gt 0 ] || fail "$w reports 0 ops/sec: $line"
  [ "${BASH_REMATCH[5]}" = 2000 ] || fail "$w did not do 2000 operations: $line"
done
grep -qE '^readrandom .*\(2000 of 2000 found\)$' <<<"$out" || fail "readrandom missed keys"
grep -qE '^seekrandom .*\(2000 of 2000 found\)$' <<<"$out" || fail "seekrandom missed keys"

grep -q "^WAL writes: shared mapping$" <<<"$out" || fail "default WAL write path not shown"

# The WAL written with write() instead: the fill, replayed by a second process, is all there.
out=$("$strata" bench db --benchmarks=fillseq --num=2000 --wal_mmap_writes=0 --db="$tmp/w")
grep -q "^WAL writes: write()$" <<<"$out" || fail "--wal_mmap_writes=0 not shown: $out"
out=$("$strata" bench db --benchmarks=readseq --use_existing_db=1 --num=2000 --db="$tmp/w")
line=$(grep -E "^readseq +: " <<<"$out") || fail "no readseq line after --wal_mmap_writes=0"
[[ "$line" =~ $re ]] || fail "readseq line does not parse: $line"
[ "${BASH_REMATCH[5]}" = 2000 ] || fail "the write() WAL lost writes: $line"

# Bad input: a clear error and exit status 1.
if out=$("$strata" bench db --benchmarks=nosuch --num=10 --db="$tmp/db" 2>&1); then
  fail "unknown workload accepted"
fi
grep -q "unknown benchmark 'nosuch'" <<<"$out" || fail "unknown workload message: $out"
echo "bench db: ok"
