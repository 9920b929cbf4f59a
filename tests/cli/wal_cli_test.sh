#!/usr/bin/env bash
# strata bench wal / wal dump / wal verify / demo, on real files, checked from the outside.
set -euo pipefail
strata=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# The benchmark prints one JSON line with the fields the issue names.
json=$("$strata" bench wal --writers 2 --sync none --records 2000 --value-size 100 --replay \
       --dir "$tmp/bench" --keep)
echo "$json"
for field in writers sync records_per_s mb_per_s p50_us p99_us replay_gb_per_s; do
  grep -q "\"$field\":" <<<"$json" || fail "bench json lacks $field"
done
grep -q '"records":2000' <<<"$json" || fail "bench wrote the wrong number of records"
log="$tmp/bench/000001.log"
[ -f "$log" ] || fail "--keep did not keep $log"

# An intact log verifies, and dump shows every record.
"$strata" wal verify "$log" >/dev/null || fail "verify of an intact log"
# (Output is captured before grep: `cmd | grep -q` can fail under pipefail when grep exits
# early and cmd gets SIGPIPE.)
dump=$("$strata" wal dump "$log")
grep -q 'summary: records=2000 ' <<<"$dump" || fail "dump summary"
[ "$(grep -c '^record offset=' <<<"$dump")" = 2000 ] || fail "dump record lines"

# A flipped byte in the middle: verify fails naming the offset; dump reports and goes on.
cp "$log" "$tmp/damaged.log"
size=$(stat -c %s "$log")
printf '\xff' | dd of="$tmp/damaged.log" bs=1 seek=$((size / 2)) conv=notrunc status=none
if out=$("$strata" wal verify "$tmp/damaged.log" 2>&1); then fail "verify missed damage"; fi
grep -q "offset" <<<"$out" || fail "verify error names no offset: $out"
dump=$("$strata" wal dump "$tmp/damaged.log") || fail "dump (skip mode) should exit 0"
grep -q '^corruption offset=' <<<"$dump" || fail "dump did not report the damage"

# A torn tail: strict verify fails, tolerant verify passes.
head -c $((size - 50)) "$log" > "$tmp/torn.log"
if "$strata" wal verify "$tmp/torn.log" >/dev/null 2>&1; then fail "strict verify passed a torn tail"; fi
"$strata" wal verify --mode tolerate_corrupted_tail "$tmp/torn.log" >/dev/null \
  || fail "tolerant verify of a torn tail"

# Not a log at all, and a missing file: clear errors, non-zero exit.
seq 1 20000 > "$tmp/text.log"
if out=$("$strata" wal verify "$tmp/text.log" 2>&1); then fail "verify accepted a text file"; fi
grep -q "not a Strata log" <<<"$out" || fail "text file message: $out"
grep -q "text.log" <<<"$out" || fail "message does not name the file: $out"
if out=$("$strata" wal dump "$tmp/missing.log" 2>&1); then fail "dump of a missing file"; fi
grep -q "missing.log" <<<"$out" || fail "missing-file message: $out"

# The self-demonstration, twice: the second run starts the next log.
out=$("$strata" demo --dir "$tmp/data")
grep -q "all intact" <<<"$out" || fail "demo: $out"
out=$("$strata" demo --dir "$tmp/data" --records 10 --writers 2)
grep -q "000002.log" <<<"$out" || fail "demo rerun: $out"
echo "wal cli: ok"
