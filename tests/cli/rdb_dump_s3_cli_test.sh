#!/usr/bin/env bash
# strata rdb dump into a lake in S3, and strata rdb report from it, as a user runs them
# (docs/formats/rdb-lake.md, "A lake in object storage"): a real redis-server writes the RDB,
# moto_server is the bucket (endpoint and credentials through AWS_* variables only, as the
# commands document) and the aws command is the peer that lists what strata wrote.
#
# Checked: the dump names the s3:// batch; the bucket holds exactly the instance's file and
# _SUCCESS, whose manifest gives the file's size as S3 reports it; nothing is left in --tmp-dir;
# the report of the lake names the batch and its keys. A second dump whose second file is cut
# in the middle fails naming it, leaves its first file and no _SUCCESS, and the report still
# reads the first batch; a rerun of that batch is refused until `strata obj rm -r` clears it,
# and then publishes the batch the report reads next.
#
# Skipped (exit 77) without redis-server and redis-cli, moto_server, or the aws command
# (s3_test_lib.sh says where they are looked for); STRATA_TEST_S3_ENDPOINT replaces moto.
set -euo pipefail
strata=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
tmp=$(mktemp -d)
redis_pid=""
cleanup() {
  if [ -n "$redis_pid" ]; then
    kill -9 "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  stop_s3
  rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp"
# shellcheck source=s3_test_lib.sh
. "$here/s3_test_lib.sh"

for tool in redis-server redis-cli; do
  command -v "$tool" >/dev/null ||
    skip "$tool is not installed (a real Redis writes the RDB dumped here)"
done
aws_cli=$(find_aws)
[ -n "$aws_cli" ] || skip "the aws command is not installed (the peer that lists strata's objects)"
s3_isolate_env
start_s3
# strata finds the endpoint where the AWS CLI v2 does; the aws command here gets it as a flag,
# which every version takes.
export AWS_ENDPOINT_URL=$endpoint
aws() { "$aws_cli" --endpoint-url "$endpoint" "$@"; }
bucket='strata-rdb-lake-test'
lake=s3://$bucket/lake
aws s3api create-bucket --bucket "$bucket" >/dev/null || fail "create-bucket"

# --- The RDB: six keys in two databases, saved by redis-server on a Unix socket (no TCP port).
redis-server --port 0 --unixsocket "$tmp/redis.sock" --dir "$tmp" --save '' --appendonly no \
  --logfile "$tmp/redis.log" &
redis_pid=$!
for _ in $(seq 1 200); do redis-cli -s redis.sock ping >/dev/null 2>&1 && break; sleep 0.05; done
rcli() { redis-cli -s redis.sock "$@" >/dev/null || fail "redis-cli $*"; }
rcli set string1 blaa
rcli set string2 'Hi there!'
rcli rpush mylist a b c
rcli hset myhash f1 v1 f2 v2
rcli -n 3 set counter 42
rcli -n 3 sadd tags x y z
rcli save
redis-cli -s redis.sock shutdown nosave >/dev/null 2>&1 || true
wait "$redis_pid" 2>/dev/null || true
redis_pid=""
[ -s dump.rdb ] || fail "redis-server wrote no dump.rdb"
# The same snapshot cut in the middle: the instance that fails the second dump.
head -c $(($(stat -c %s dump.rdb) / 2)) dump.rdb >cut.rdb

dump() { "$strata" rdb dump --quiet "$@"; }
report() {
  "$strata" rdb report from-parquet --dir "$lake" --cluster c --output report.html \
    --cache-dir cache
}
# aws s3 ls --recursive, the keys only.
keys_under() { aws s3 ls --recursive "$1" | awk '{print $4}'; }

# --- The first batch.
b1=2026-11-30_12-00-00.000Z
dump --batch-timestamp 2026-11-30T12:00:00Z from-file --path dump.rdb --cluster c \
  into-parquet --dir "$lake" --tmp-dir staging >out 2>err || fail "dump: $(cat err)"
file_url=$lake/cluster=c/batch=$b1/dump.rdb.parquet
grep -qE "^dump\.rdb: 6 keys, RDB v[0-9]+ .* -> ${file_url//./\\.} \(" out ||
  fail "the dump's instance line: $(cat out)"
tail -1 out >last
expect_file last "the dump's last line" <<EOF
batch $b1: $lake/cluster=c/batch=$b1
EOF
keys_under "s3://$bucket/" >listed
expect_file listed "the bucket after the dump" <<EOF
lake/cluster=c/batch=$b1/_SUCCESS
lake/cluster=c/batch=$b1/dump.rdb.parquet
EOF
# The manifest names the file with the size S3 has for it, and its six keys.
size=$(aws s3 ls "$file_url" | awk '{print $3}')
aws s3 cp --quiet "$lake/cluster=c/batch=$b1/_SUCCESS" manifest.json
python3 - "$size" manifest.json <<'EOF' || fail "manifest: $(cat manifest.json)"
import json, sys
m = json.load(open(sys.argv[2]))
files = m["files"]
assert m["format"] == "strata.rdb.batch" and m["cluster"] == "c", m
assert m["batch"] == "2026-11-30_12-00-00.000Z", m
assert [f["name"] for f in files] == ["dump.rdb.parquet"], files
assert files[0]["instance"] == "dump.rdb" and files[0]["keys"] == 6, files
assert files[0]["bytes"] == int(sys.argv[1]), (files, sys.argv[1])
EOF
[ -z "$(find staging -type f)" ] || fail "files left in --tmp-dir: $(find staging -type f)"
[ -z "$(find staging -name '_tmp_batch=*')" ] || fail "a _tmp_batch= left in --tmp-dir"

report >out 2>err || fail "report: $(cat err)"
expect_file out "the report's line" <<EOF
report of cluster c, batch $b1: 6 keys -> report.html
EOF
grep -qF "$b1" report.html || fail "report.html does not name the batch"
[ "$(find cache -type f | wc -l)" = 1 ] || fail "the read cache holds $(find cache -type f)"

# --- A second batch whose second instance fails: its first file goes up, no _SUCCESS.
b2=2026-11-30_13-00-00.000Z
rc=0
dump --batch-timestamp 2026-11-30T13:00:00Z --concurrency 1 from-file --path dump.rdb \
  --path cut.rdb --cluster c into-parquet --dir "$lake" --tmp-dir staging >out 2>err || rc=$?
[ "$rc" = 1 ] || fail "the dump with a cut RDB exited $rc: $(cat err)"
grep -q 'instance cut\.rdb' err || fail "the failure does not name cut.rdb: $(cat err)"
grep -qF "\`strata obj rm -r $lake/cluster=c/batch=$b2/\` clears them" err ||
  fail "the failure does not say how to clear the uploaded files: $(cat err)"
! grep -q '^batch ' out || fail "a failed dump announced a batch: $(cat out)"
keys_under "$lake/cluster=c/batch=$b2/" >listed
expect_file listed "the failed batch" <<EOF
lake/cluster=c/batch=$b2/dump.rdb.parquet
EOF
report >out 2>err || fail "report after the failed dump: $(cat err)"
expect_file out "the report after the failed dump" <<EOF
report of cluster c, batch $b1: 6 keys -> report.html
EOF

# --- Its rerun is refused while the failed attempt's file is there; once removed as the
# documentation says, the rerun publishes and becomes the latest batch.
rc=0
dump --batch-timestamp 2026-11-30T13:00:00Z from-file --path dump.rdb --cluster c \
  into-parquet --dir "$lake" --tmp-dir staging >out 2>err || rc=$?
[ "$rc" = 1 ] || fail "the rerun exited $rc: $(cat err)"
grep -qF "$lake/cluster=c/batch=$b2: a failed or running attempt of this batch is in the way" err ||
  fail "the refusal: $(cat err)"
"$strata" obj rm -r "$lake/cluster=c/batch=$b2/" || fail "obj rm -r of the failed batch"
dump --batch-timestamp 2026-11-30T13:00:00Z from-file --path dump.rdb --cluster c \
  into-parquet --dir "$lake" --tmp-dir staging >out 2>err || fail "the rerun: $(cat err)"
report >out 2>err || fail "report after the rerun: $(cat err)"
expect_file out "the report after the rerun" <<EOF
report of cluster c, batch $b2: 6 keys -> report.html
EOF
echo "rdb dump s3 cli: ok"
