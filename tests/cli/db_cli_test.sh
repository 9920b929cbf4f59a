#!/usr/bin/env bash
# strata kv put/get/del/scan, sst dump, db check and db stats, on real files, from the outside.
set -euo pipefail
strata=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
db="$tmp/db"

# Every new command has --help.
for cmd in "sst" "sst dump" "db" "db check" "db stats" "db checkpoint" "kv" "kv put" "kv get" "kv del" "kv scan"; do
  out=$("$strata" $cmd --help) || fail "$cmd --help exited non-zero"
  [ -n "$out" ] || fail "$cmd --help printed nothing"
done
grep -qE -- '--preview.*32' <<<"$("$strata" sst dump --help)" || fail "sst dump --preview default"
grep -qE -- '--limit.*0' <<<"$("$strata" kv scan --help)" || fail "kv scan --limit default"

# The DB must exist unless --create is given.
if out=$("$strata" kv put --db "$db" k v 2>&1); then fail "put created a DB without --create"; fi
grep -q -- "--create" <<<"$out" || fail "put without --create gives no hint: $out"
[ ! -e "$db/CURRENT" ] || fail "put without --create made a DB"

# Round trip. Each command opens the DB, which turns the last run's log into a table.
"$strata" kv put --db "$db" --create apple red
"$strata" kv put --db "$db" banana yellow --sync
"$strata" kv put --db "$db" cherry dark
"$strata" kv put --db "$db" date brown
[ "$("$strata" kv get --db "$db" apple)" = red ] || fail "get apple"
"$strata" kv del --db "$db" banana --sync
if out=$("$strata" kv get --db "$db" banana 2>&1); then fail "get of a deleted key exited 0"; fi
grep -q "not found" <<<"$out" || fail "missing-key message: $out"
if "$strata" kv get --db "$db" nothing-here >/dev/null 2>&1; then fail "get of a missing key"; fi
out=$("$strata" kv scan --db "$db")
[ "$out" = $'apple\tred\ncherry\tdark\ndate\tbrown' ] || fail "scan: $out"
out=$("$strata" kv scan --db "$db" --from b --to d)
[ "$out" = $'cherry\tdark' ] || fail "scan --from b --to d: $out"
out=$("$strata" kv scan --db "$db" --limit 2)
[ "$(wc -l <<<"$out")" = 2 ] || fail "scan --limit 2: $out"

# stats opens the DB and prints the level table.
out=$("$strata" db stats "$db")
grep -q '^L0 ' <<<"$out" || fail "db stats: $out"
grep -q 'last sequence' <<<"$out" || fail "db stats: $out"

# A table the DB wrote: properties, index, entries with decoded trailers, end=ok.
table=$(ls "$db"/*.sst | head -n 1)
[ -f "$table" ] || fail "no table in $db"
out=$("$strata" sst dump "$table" --entries)
grep -q '^comparator: strata.InternalKeyComparator$' <<<"$out" || fail "sst dump properties: $out"
grep -q '^entries: ' <<<"$out" || fail "sst dump entries property: $out"
grep -q '^block 0: offset=0 ' <<<"$out" || fail "sst dump index: $out"
grep -qE '^entry: key=".*" seq=[0-9]+ type=(put|del) ' <<<"$out" || fail "sst dump entry: $out"
grep -q 'end=ok$' <<<"$out" || fail "sst dump summary: $out"
if out=$("$strata" sst dump "$tmp/absent.sst" 2>&1); then fail "dump of a missing table"; fi
grep -q "absent.sst" <<<"$out" || fail "missing-table message: $out"

# check passes on the good DB and changes nothing.
before=$(ls -l --time-style=full-iso "$db"; md5sum "$db"/*)
out=$("$strata" db check "$db") || fail "db check of a good DB: $out"
grep -q 'end=ok$' <<<"$out" || fail "db check summary: $out"
grep -q '^table: ' <<<"$out" || fail "db check lists no table: $out"
[ "$before" = "$(ls -l --time-style=full-iso "$db"; md5sum "$db"/*)" ] || fail "db check changed the DB"

# A flipped byte in a data block (tables start with their first data block).
printf '\xff' | dd of="$table" bs=1 seek=5 conv=notrunc status=none
if out=$("$strata" db check "$db" 2>&1); then fail "db check missed a damaged table"; fi
grep -q "problem: $table: " <<<"$out" || fail "db check does not name $table: $out"
grep -q 'end=corrupt$' <<<"$out" || fail "db check summary after damage: $out"
if out=$("$strata" sst dump "$table" 2>&1); then fail "sst dump missed the damage"; fi
grep -q "$table" <<<"$out" || fail "sst dump error does not name the file: $out"

# Not a DB: a clear error, exit 1.
mkdir "$tmp/empty"
if out=$("$strata" db check "$tmp/empty" 2>&1); then fail "db check of an empty directory"; fi
grep -q "is not a Strata DB" <<<"$out" || fail "not-a-DB message: $out"
echo "db cli: ok"
