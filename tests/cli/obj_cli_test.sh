#!/usr/bin/env bash
# strata obj ls/stat/get/put/rm/cat on local directories (plain paths and file:// URLs),
# checked from the outside: bytes compared with cmp, listings with outputs written by hand from
# what --help documents, exit statuses 0 / 1 / 2 / 3 as --help states them.
set -euo pipefail
strata=$(realpath "$1")
lib=$(dirname "$(realpath "$0")")/obj_test_lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
# shellcheck source=obj_test_lib.sh
. "$lib"
obj() { "$strata" obj "$@"; }

# --- Inputs: text, binary with every byte value, an empty file, one above a few buffers.
printf 'hello\n' >hello.txt
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 64)' >bytes.bin
: >empty
head -c 3000000 /dev/urandom >random.bin

# --- put / get round trips, byte for byte, through plain paths and file:// URLs.
obj put hello.txt store/ # a URL ending in '/' keeps the file's name
obj put bytes.bin "file://$tmp/store/data/bytes.bin"
obj put empty store/data/empty
obj put random.bin store/data/deep/random.bin
for pair in hello.txt:store/hello.txt bytes.bin:store/data/bytes.bin empty:store/data/empty \
            random.bin:store/data/deep/random.bin; do
  src=${pair%%:*} key=${pair#*:}
  cmp "$src" "$key" || fail "put wrote $key unlike $src"
  rm -f got && obj get "$key" got && cmp "$src" got || fail "get $key"
  rm -f got && obj get "file://$tmp/$key" got && cmp "$src" got || fail "get file://$tmp/$key"
done
# DEST: default is the key's last part in the working directory; a directory keeps the name;
# '-' is stdout; missing parent directories are made.
mkdir -p work && (cd work && obj get ../store/data/bytes.bin) && cmp bytes.bin work/bytes.bin ||
  fail "get without DEST"
obj get store/data/bytes.bin work/ && cmp bytes.bin work/bytes.bin || fail "get into a directory"
obj get store/data/empty new/dirs/e && cmp empty new/dirs/e || fail "get made no parents"
obj get store/data/deep/random.bin - >stdout.bin && cmp random.bin stdout.bin || fail "get -"
[ -z "$(find work new -name '*strata-part*')" ] || fail "get left a temporary file"
# stdin: a pipe, and an empty one.
head -c 200000 /dev/urandom >piped.bin
obj put - store/piped.bin <piped.bin && cmp piped.bin store/piped.bin || fail "put - from stdin"
obj put - store/empty-stdin </dev/null && cmp empty store/empty-stdin || fail "put - empty stdin"
# A local URL that names an existing directory is one, as for cp.
obj put hello.txt store/data && cmp hello.txt store/data/hello.txt || fail "put into a directory"
rm store/data/hello.txt

# --- ls: one level, -r, --long; names from the URL's last '/'.
obj ls store/ >out
expect_file out "ls store/" <<'EOF'
data/
empty-stdin
hello.txt
piped.bin
EOF
obj ls store/data/ >out
expect_file out "ls store/data/" <<'EOF'
bytes.bin
deep/
empty
EOF
obj ls -r "file://$tmp/store/" >out
expect_file out "ls -r" <<'EOF'
data/bytes.bin
data/deep/random.bin
data/empty
empty-stdin
hello.txt
piped.bin
EOF
# Without a trailing '/', the URL's last part is a prefix of names, as for aws s3 ls.
obj ls store/data/e >out
expect_file out "ls of a name prefix" <<'EOF'
empty
EOF
obj ls store/da >out
expect_file out "ls of a prefix of a directory" <<'EOF'
data/
EOF
obj ls -r store/data >out
expect_file out "ls -r without a trailing slash" <<'EOF'
data/bytes.bin
data/deep/random.bin
data/empty
EOF
# "." and ".." name directories.
(cd store/data && obj ls . && obj ls deep/..) >out
expect_file out "ls . and deep/.." <<'EOF'
bytes.bin
deep/
empty
bytes.bin
deep/
empty
EOF
# --long: UTC time, size, ETag, name; PRE for a prefix.
obj ls --long store/data/ >out
[ "$(wc -l <out)" = 3 ] || fail "ls --long lines: $(cat out)"
grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z +16384  [^ ]+ +bytes\.bin$' out ||
  fail "ls --long object line: $(cat out)"
grep -qE '^ {20}  +PRE  +deep/$' out || fail "ls --long prefix line: $(cat out)"
grep -qE 'Z +0  [^ ]+ +empty$' out || fail "ls --long empty object: $(cat out)"
year=$(date -u +%Y)
grep -q "^$year-" out || fail "ls --long time is not this year's (UTC): $(cat out)"
obj ls -lr store/data/ >out
grep -qE 'Z +3000000  [^ ]+ +deep/random\.bin$' out || fail "ls -lr: $(cat out)"
# Nothing under a prefix: exit 1, naming it.
expect_exit 1 "store/nothing" obj ls store/nothing

# --- stat: every object's fields; a missing one fails the command, not the others.
obj stat store/hello.txt store/data/empty >out
grep -qxF "url: file://$tmp/store/hello.txt" out || fail "stat url: $(cat out)"
grep -qx "size: 6" out || fail "stat size: $(cat out)"
grep -qx "size: 0" out || fail "stat size of the empty object: $(cat out)"
grep -qE '^last-modified: [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' out ||
  fail "stat last-modified: $(cat out)"
[ "$(grep -c '^etag: .' out)" = 2 ] || fail "stat etags: $(cat out)"
[ "$(grep -c '^$' out)" = 1 ] || fail "stat: one blank line between two objects: $(cat out)"
expect_exit 1 "store/missing" obj stat store/hello.txt store/missing
grep -qx "size: 6" "$tmp/stdout" || fail "stat stopped at the missing object"
expect_exit 2 "names a prefix" obj stat store/data/

# --- Conditional puts: --if-absent twice, --if-match with the current and a stale ETag.
printf 'v1\n' >v1 && printf 'v2\n' >v2
obj put --if-absent v1 store/cas || fail "first --if-absent"
expect_exit 3 "exists" obj put --if-absent v2 store/cas
cmp v1 store/cas || fail "a lost --if-absent replaced the object"
etag=$(obj stat store/cas | sed -n 's/^etag: //p')
[ -n "$etag" ] || fail "no etag from stat"
obj put --if-match "$etag" v2 store/cas || fail "--if-match with the current ETag"
cmp v2 store/cas || fail "--if-match did not write"
expect_exit 3 "$etag" obj put --if-match "$etag" v1 store/cas
cmp v2 store/cas || fail "a lost --if-match replaced the object"
expect_exit 3 "--if-match" obj put --if-match "$etag" v1 store/never-there
[ ! -e store/never-there ] || fail "--if-match created a missing object"
expect_exit 2 "exclude" obj put --if-absent --if-match "$etag" v1 store/cas
# --verbose shows the new ETag, the one stat shows.
line=$(obj put -v v1 store/cas)
etag=$(obj stat store/cas | sed -n 's/^etag: //p')
[ "$line" = "upload: v1 to file://$tmp/store/cas (ETag $etag)" ] || fail "put -v: $line"

# --- cat: whole, ranges as in HTTP, several objects.
[ "$(obj cat store/hello.txt)" = hello ] || fail "cat"
[ "$(obj cat --range 1-3 store/hello.txt)" = ell ] || fail "cat --range 1-3"
[ "$(obj cat --range 2- store/hello.txt)" = llo ] || fail "cat --range 2-"
[ "$(obj cat --range -3 store/hello.txt)" = lo ] || fail "cat --range -3 (lo and the newline)"
[ "$(obj cat --range 4-100 store/hello.txt)" = o ] || fail "cat --range past the end is cut"
[ "$(obj cat --range -100 store/hello.txt)" = hello ] || fail "cat --range -100 of 6 bytes"
obj cat --range 1000-1999 store/data/bytes.bin >out
python3 -c 'import sys; sys.stdout.buffer.write((bytes(range(256)) * 64)[1000:2000])' >want
cmp want out || fail "cat --range 1000-1999 of the binary object"
obj cat store/hello.txt store/data/empty store/hello.txt >out
printf 'hello\nhello\n' | cmp - out || fail "cat of three objects"
obj cat store/data/empty >out && [ ! -s out ] || fail "cat of an empty object"
expect_exit 1 "store/hello.txt" obj cat --range 10-20 store/hello.txt
expect_exit 2 "--range" obj cat --range 5-2 store/hello.txt
expect_exit 2 "--range" obj cat --range abc store/hello.txt
expect_exit 1 "store/nope" obj cat store/nope

# --- Trees: put -r and get -r, compared with diff -r.
mkdir -p tree/a/b tree/c
printf 'one\n' >tree/one.txt
cp bytes.bin tree/a/b/bytes.bin
: >tree/a/empty
for i in $(seq 1 50); do printf 'file %d\n' "$i" >"tree/c/f$i"; done
ln -s ../one.txt tree/c/link.txt
mkfifo tree/fifo
obj put -r tree "file://$tmp/bucket/up" 2>err || fail "put -r: $(cat err)"
grep -qF "skipping $tmp/tree/fifo" err || grep -qF "skipping tree/fifo" err ||
  fail "put -r did not say it skipped the fifo: $(cat err)"
rm tree/fifo
[ "$(obj ls -r bucket/up/ | wc -l)" = 54 ] || fail "put -r object count: $(obj ls -r bucket/up/)"
cmp tree/one.txt bucket/up/c/link.txt || fail "put -r did not follow the symbolic link"
obj get -r bucket/up down && diff -r tree down || fail "get -r tree"
(cd work && obj get -r ../bucket/up/) && diff -r tree work/up || fail "get -r default DEST"
obj put -r -j 1 tree bucket/serial/ && diff -r tree bucket/serial || fail "put -r -j 1"
# --if-absent per object: existing ones lose (exit 3), new ones are written.
printf 'new\n' >tree/new.txt
expect_exit 3 "exists" obj put -r --if-absent tree bucket/up
cmp tree/new.txt bucket/up/new.txt || fail "put -r --if-absent skipped a new object"
expect_exit 1 "bucket/nothing" obj get -r bucket/nothing
expect_exit 2 "is a directory" obj put tree bucket/x
expect_exit 2 "not a directory" obj put -r hello.txt bucket/x
expect_exit 2 "names a prefix" obj get bucket/up/

# --- rm: objects, a missing one (fine, as in S3), -r under a prefix and nothing beside it.
obj put hello.txt bucket/up.txt
obj rm bucket/up/one.txt bucket/up/not-there || fail "rm"
[ ! -e bucket/up/one.txt ] || fail "rm left the object"
expect_exit 2 "add -r" obj rm bucket/up
obj rm -r bucket/up || fail "rm -r"
[ ! -e bucket/up ] || fail "rm -r left $(find bucket/up)"
cmp hello.txt bucket/up.txt || fail "rm -r bucket/up removed bucket/up.txt"
obj rm -r bucket/up || fail "rm -r of an empty prefix is not an error"
obj rm -v store/piped.bin >out
expect_file out "rm -v" <<EOF
delete: file://$tmp/store/piped.bin
EOF
expect_exit 2 "refusing" obj rm -r /

# --- Bad options and URLs: exit 2 before anything is done.
expect_exit 2 "--part-size" obj ls --part-size 1M store/
expect_exit 2 "--part-size" obj ls --part-size lots store/
expect_exit 2 "--part-size" obj ls --part-size 5X store/
expect_exit 2 "too large" obj ls --part-size 999999999999999T store/
for size in 5M 5m 8MiB 6mb 1G 5242880 5120K; do
  obj ls --part-size "$size" store/hello.txt >/dev/null || fail "--part-size $size refused"
done
expect_exit 2 "--parallelism" obj ls --parallelism 0 store/
expect_exit 2 "--jobs" obj get -r -j 0 store/data/ x
expect_exit 2 "ftp://x/y" obj ls ftp://x/y
expect_exit 2 "bucket name" obj ls 's3://bad bucket/x'

# --- No progress line or summary when stderr is not a terminal.
obj put random.bin store/quiet.bin 2>err && [ ! -s err ] || fail "put printed on stderr: $(cat err)"
obj get -r store/data/ q 2>err && [ ! -s err ] || fail "get -r printed on stderr: $(cat err)"
echo "obj cli: ok"
