#!/usr/bin/env bash
# strata obj against S3: moto's S3 server on a free loopback port, with the AWS CLI as the
# peer that checks what strata wrote and writes what strata reads. Single and multipart
# uploads, ranged and parallel downloads, one-level and recursive listings, conditional puts
# (If-None-Match, If-Match), stdin, trees and rm -r.
#
# The server: STRATA_TEST_S3_ENDPOINT (an S3 endpoint with a fresh account: a bucket
# strata-cli-test is made in it) or else moto_server started here and stopped on exit. Skipped
# (exit 77) without moto_server or the aws command (s3_test_lib.sh says where they are looked for).
set -euo pipefail
strata=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
tmp=$(mktemp -d)
cleanup() {
  stop_s3
  rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp"
# shellcheck source=s3_test_lib.sh
. "$here/s3_test_lib.sh"

aws_cli=$(find_aws)
[ -n "$aws_cli" ] || skip "the aws command is not installed (the peer that checks strata's objects)"
s3_isolate_env
start_s3
aws() { "$aws_cli" --endpoint-url "$endpoint" "$@"; }
obj() { "$strata" obj "$1" --endpoint-url "$endpoint" "${@:2}"; }
bucket='strata-cli-test'
b=s3://$bucket
aws s3api create-bucket --bucket "$bucket" >/dev/null || fail "create-bucket"

printf 'hello\n' >hello.txt
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 64)' >bytes.bin
: >empty
head -c $((12 * 1024 * 1024 + 12345)) /dev/urandom >big.bin  # three 5 MiB parts, the last short

# --- strata writes, aws reads; aws writes, strata reads.
obj put hello.txt "$b/one/" || fail "put into a prefix"
obj put bytes.bin "$b/one/bytes.bin"
obj put empty "$b/one/empty"
for name in hello.txt bytes.bin empty; do
  aws s3 cp --quiet "$b/one/$name" "aws-$name" || fail "aws cannot read one/$name"
  cmp "$name" "aws-$name" || fail "one/$name as aws reads it differs from $name"
done
aws s3 cp --quiet bytes.bin "$b/two/from-aws.bin"
obj get "$b/two/from-aws.bin" got.bin && cmp bytes.bin got.bin || fail "get of aws's object"
obj cat "$b/two/from-aws.bin" | cmp bytes.bin - || fail "cat of aws's object"
obj get "$b/one/empty" got-empty && cmp empty got-empty || fail "get of an empty object"
# A single-part object's ETag is the MD5 of its bytes (S3).
etag=$(obj stat "$b/one/bytes.bin" | sed -n 's/^etag: //p')
[ "$etag" = "$(md5sum <bytes.bin | cut -d' ' -f1)" ] || fail "stat etag $etag is not the MD5"

# --- Multipart: 5 MiB parts up, 5 MiB ranges down, 3 at once.
obj put --part-size 5M --parallelism 3 big.bin "$b/big/big.bin" || fail "multipart put"
aws s3 cp --quiet "$b/big/big.bin" aws-big.bin && cmp big.bin aws-big.bin || fail "aws reads the multipart object"
etag=$(obj stat "$b/big/big.bin" | sed -n 's/^etag: //p')
[[ $etag == *-3 ]] || fail "a 3-part upload's ETag ends in -3: $etag"
obj get --part-size 5M --parallelism 3 "$b/big/big.bin" got-big.bin && cmp big.bin got-big.bin ||
  fail "ranged download"
aws s3 cp --quiet big.bin "$b/big/from-aws.bin"
obj get "$b/big/from-aws.bin" got-aws-big.bin && cmp big.bin got-aws-big.bin || fail "get of aws's big object"

# --- stdin.
obj put - "$b/one/stdin.bin" <big.bin || fail "put - of 12 MiB"
aws s3 cp --quiet "$b/one/stdin.bin" aws-stdin.bin && cmp big.bin aws-stdin.bin || fail "stdin object"
obj put - "$b/one/stdin-empty" </dev/null && [ "$(obj cat "$b/one/stdin-empty" | wc -c)" = 0 ] ||
  fail "put - of nothing"

# --- ls: names from the URL's last '/', one level or all; the bucket's root.
obj ls "$b" >out
expect_file out "ls of the bucket" <<'EOF'
big/
one/
two/
EOF
obj ls "$b/one/" >out
expect_file out "ls one/" <<'EOF'
bytes.bin
empty
hello.txt
stdin-empty
stdin.bin
EOF
obj ls "$b/o" >out
expect_file out "ls of a name prefix" <<'EOF'
one/
EOF
obj ls -r "$b/" >out
expect_file out "ls -r of the bucket" <<'EOF'
big/big.bin
big/from-aws.bin
one/bytes.bin
one/empty
one/hello.txt
one/stdin-empty
one/stdin.bin
two/from-aws.bin
EOF
obj ls -l "$b/one/b" >out
grep -qE "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z +16384  $(md5sum <bytes.bin | cut -d' ' -f1) +bytes\.bin$" out ||
  fail "ls -l: $(cat out)"
expect_exit 1 "$b/nothing" obj ls "$b/nothing"

# --- stat of a missing object.
expect_exit 1 "$b/one/missing" obj stat "$b/one/hello.txt" "$b/one/missing"
grep -qx 'size: 6' stdout || fail "stat of the existing object: $(cat stdout)"

# --- Conditional puts: If-None-Match: * twice, If-Match with the current and a stale ETag.
printf 'v1\n' >v1 && printf 'v2\n' >v2
obj put --if-absent v1 "$b/cas" || fail "first --if-absent"
expect_exit 3 "exists" obj put --if-absent v2 "$b/cas"
etag=$(obj stat "$b/cas" | sed -n 's/^etag: //p')
obj put --if-match "$etag" v2 "$b/cas" || fail "--if-match with the current ETag"
expect_exit 3 "$etag" obj put --if-match "$etag" v1 "$b/cas"
[ "$(obj cat "$b/cas")" = v2 ] || fail "a lost condition changed the object"

# --- cat --range.
[ "$(obj cat --range 1-3 "$b/one/hello.txt")" = ell ] || fail "cat --range 1-3"
[ "$(obj cat --range -3 "$b/one/hello.txt")" = lo ] || fail "cat --range -3"
obj cat --range 5000000-5300000 "$b/big/big.bin" >out
head -c 5300001 big.bin | tail -c 300001 | cmp - out || fail "cat --range across a part boundary"

# --- Trees.
mkdir -p tree/a/b tree/c
for i in $(seq 1 30); do printf 'file %d\n' "$i" >"tree/c/f$i"; done
cp bytes.bin tree/a/b/
: >tree/a/empty
obj put -r tree "$b/tree" || fail "put -r"
[ "$(aws s3 ls --recursive "$b/tree/" | wc -l)" = 32 ] || fail "aws sees $(aws s3 ls --recursive "$b/tree/")"
obj get -r "$b/tree/" down && diff -r tree down || fail "get -r"
aws s3 cp --quiet --recursive tree "$b/aws-tree"
obj get -r "$b/aws-tree" aws-down && diff -r tree aws-down || fail "get -r of aws's tree"

# --- get -r writes nothing outside DEST: a key with a '..' part is skipped, with an error;
# a zero-size "dir/" folder marker is skipped quietly.
printf 'x\n' >x
aws s3api put-object --bucket "$bucket" --key 'evil/../../escaped' --body x >/dev/null
aws s3api put-object --bucket "$bucket" --key 'evil/folder/' >/dev/null
aws s3 cp --quiet x "$b/evil/ok"
mkdir -p jail
expect_exit 1 "$b/evil/../../escaped" obj get -r "$b/evil/" jail/down
[ ! -e escaped ] && [ ! -e jail/escaped ] || fail "get -r wrote outside DEST"
cmp x jail/down/ok || fail "get -r did not download the safe object beside the unsafe one"
[ "$(find jail -type f | wc -l)" = 1 ] || fail "get -r wrote $(find jail -type f)"

# --- rm, rm -r.
obj rm "$b/one/hello.txt" "$b/one/never-was" || fail "rm"
expect_exit 1 "$b/one/hello.txt" obj stat "$b/one/hello.txt"
obj rm -r "$b/tree" || fail "rm -r"
[ -z "$(aws s3 ls --recursive "$b/tree/")" ] || fail "rm -r left $(aws s3 ls --recursive "$b/tree/")"
[ "$(aws s3 ls --recursive "$b/aws-tree/" | wc -l)" = 32 ] || fail "rm -r tree removed aws-tree"
echo "obj s3 cli: ok"
