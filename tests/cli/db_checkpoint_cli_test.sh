#!/usr/bin/env bash
# strata db checkpoint on real files, from the outside: the checkpoint opens with the
# source's keys, its tables are hard links to the source's, each DB changes on its own, a
# leftover temporary directory does not get in the way, and bad arguments fail clearly.
set -euo pipefail
strata=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
db="$tmp/db"
cp="$tmp/cp"

# Each run turns the last run's log into a level-0 table. With the checkpoint's own open that
# makes three, too few to start a compaction that could delete tables while they are linked.
"$strata" kv put --db "$db" --create apple red
"$strata" kv put --db "$db" banana yellow
"$strata" kv del --db "$db" banana

out=$("$strata" db checkpoint "$db" "$cp") || fail "checkpoint exited non-zero: $out"
[ "$out" = "checkpoint of $db written to $cp" ] || fail "checkpoint output: $out"
[ -f "$cp/CURRENT" ] || fail "no CURRENT in $cp"
[ ! -e "$cp.tmp" ] || fail "temporary directory left behind"
if compgen -G "$cp/*.log" >/dev/null; then fail "the checkpoint has a write-ahead log"; fi

# Hard links: tables the two directories share are one inode.
linked=0
for table in "$cp"/*.sst; do
  name=$(basename "$table")
  [ -e "$db/$name" ] || continue
  [ "$(stat -c %i "$table")" = "$(stat -c %i "$db/$name")" ] || fail "$name is a copy, not a link"
  linked=$((linked + 1))
done
[ "$linked" -gt 0 ] || fail "no table of $cp is linked from $db"

out=$("$strata" db check "$cp") || fail "db check of the checkpoint: $out"
[ "$("$strata" kv scan --db "$cp")" = $'apple\tred' ] || fail "checkpoint contents"

# Each goes on without the other.
"$strata" kv put --db "$cp" cherry dark
"$strata" kv put --db "$db" apple green
[ "$("$strata" kv scan --db "$cp")" = $'apple\tred\ncherry\tdark' ] || fail "checkpoint after writes"
[ "$("$strata" kv scan --db "$db")" = $'apple\tgreen' ] || fail "source after writes"

# What a crashed attempt leaves in DEST.tmp is cleared away.
mkdir "$tmp/cp2.tmp"
echo "half-written" >"$tmp/cp2.tmp/000009.sst"
"$strata" db checkpoint "$db" "$tmp/cp2" >/dev/null || fail "checkpoint over a leftover"
[ ! -e "$tmp/cp2.tmp" ] || fail "leftover temporary directory still there"
[ "$("$strata" kv scan --db "$tmp/cp2")" = $'apple\tgreen' ] || fail "second checkpoint contents"

# Bad arguments: exit 1 with the reason.
if out=$("$strata" db checkpoint "$db" "$cp" 2>&1); then fail "checkpoint into an existing directory"; fi
grep -q "exists" <<<"$out" || fail "existing-directory message: $out"
if out=$("$strata" db checkpoint "$db" "$tmp/no/such/cp" 2>&1); then fail "checkpoint under a missing parent"; fi
grep -q "does not exist" <<<"$out" || fail "missing-parent message: $out"
if out=$("$strata" db checkpoint "$tmp/nodb" "$tmp/cp3" 2>&1); then fail "checkpoint of a missing DB"; fi
grep -q "not a Strata DB" <<<"$out" || fail "missing-DB message: $out"
[ ! -e "$tmp/cp3" ] || fail "a failed checkpoint made its directory"
if "$strata" db checkpoint "$db" >/dev/null 2>&1; then fail "checkpoint without DEST"; fi
echo "db checkpoint cli: ok"
