# strata rdb on a dump.rdb that a real Redis 7.0 writes (RDB version 10): the keys of
# librdb's multiple_lists_strings test dump. Redis runs on a Unix socket in this directory
# (no TCP port) and is stopped once it has saved.
# transcript: requires redis-server redis-cli

$ redis-server --port 0 --unixsocket "$PWD/redis.sock" --dir "$PWD" --save '' --appendonly no --logfile redis.log &
$ for _ in $(seq 100); do redis-cli -s redis.sock ping >/dev/null 2>&1 && break; sleep 0.05; done
$ redis-cli -s redis.sock set string1 blaa
OK
$ redis-cli -s redis.sock set string2 'Hi there!'
OK
$ redis-cli -s redis.sock rpush mylist1 v1
(integer) 1
$ redis-cli -s redis.sock lpush mylist2 v1 v2
(integer) 2
$ redis-cli -s redis.sock lpush mylist3 v1 v2 v3
(integer) 3
$ redis-cli -s redis.sock set lzf_compressed "$(printf 'c%.0s' {1..118})"
OK
$ redis-cli -s redis.sock save
OK
$ redis-cli -s redis.sock shutdown nosave
$ wait; rm redis.log; ls
dump.rdb

# check reports like redis-check-rdb. The file is 237 bytes: the checksum is its last 8. In
# the file: string1 "blaa" takes 5 bytes (length and text), string2 10, lzf_compressed 13
# (LZF), the lists' quicklist2 values 14, 18 and 22.
$ strata rdb check dump.rdb; echo "exit $?"
[offset 0] Checking RDB file dump.rdb
[offset 9] RDB version 10 (REDIS magic)
[offset 27] AUX FIELD redis-ver = '7.0.15'
[offset 41] AUX FIELD redis-bits = '64'
[offset 53] AUX FIELD ctime = '...'
[offset 68] AUX FIELD used-mem = '...'
[offset 80] AUX FIELD aof-base = '0'
[offset 82] Selecting DB ID 0
[offset 237] Checksum OK
[offset 237] \o/ RDB looks OK! \o/
[info] 6 keys read
[info] 0 expires
[info] 0 already expired
[info] db 0: 6 keys, 0 expires, 0 already expired (RESIZEDB hint: 6 keys, 0 expires)
[info] type list/quicklist2: 3 keys
[info] type string/lzf: 1 keys
[info] type string/raw: 2 keys
[info] 82 bytes of values
[info] checksum: verified
exit 0

# top: keys by memory in a Redis 7.0 (docs/rdb-memory.md), worked out by hand: a dictEntry
# (24), the key's sds (16 for 7 to 14 bytes), and the value: an embstr of 4 or 9 bytes is 32;
# 118 bytes are a raw string, robj 16 + sds 128; a quicklist is 40 + a node 40 + its listpack
# (11, 15, 19 bytes: 16, 16, 32) + robj 16. Ties go by key.
$ strata rdb top dump.rdb
db   type         encoding          members         memory     rdb_size  key
0    string       lzf                     1            184           13  lzf_compressed
0    list         quicklist2              3            168           22  mylist3
0    list         quicklist2              1            152           14  mylist1
0    list         quicklist2              2            152           18  mylist2
0    string       raw                     1             72            5  string1
0    string       raw                     1             72           10  string2
6 keys, 800 bytes of memory (estimated)
$ strata rdb top dump.rdb --n 1 | tail -2
0    string       lzf                     1            184           13  lzf_compressed
6 keys, 800 bytes of memory (estimated)

# No key has a separator, so there is no prefix beyond all keys.
$ strata rdb prefixes dump.rdb
  share         keys         memory  prefix
100.00%            6            800  (all keys)

# dump: one Parquet file per instance, sorted by (db, key), in a batch directory named by
# the batch's time. It logs the merge on stderr. (The file's size is README's to show; the
# rows are checked below through parquet cat.)
$ strata rdb dump --batch-timestamp 2026-11-30T12:00:00Z from-file --path dump.rdb --cluster demo into-parquet --dir lake
rdb dump: [dump.rdb] merge: fan-in 1, 6 rows, ... s, ... bytes (ZSTD), run bytes 0, compression ratio ...
dump.rdb: 6 keys, RDB v10 237 B -> lake/cluster=demo/batch=2026-11-30_12-00-00.000Z/dump.rdb.parquet (... KB)
batch 2026-11-30_12-00-00.000Z: lake/cluster=demo/batch=2026-11-30_12-00-00.000Z
$ find lake | sort
lake
lake/cluster=demo
lake/cluster=demo/batch=2026-11-30_12-00-00.000Z
lake/cluster=demo/batch=2026-11-30_12-00-00.000Z/_SUCCESS
lake/cluster=demo/batch=2026-11-30_12-00-00.000Z/dump.rdb.parquet
$ strata parquet cat lake/cluster=demo/batch=*/dump.rdb.parquet --columns key,type,encoding,member_count,rdb_size,memory_estimate
key,type,encoding,member_count,rdb_size,memory_estimate
lzf_compressed,string,lzf,1,13,184
mylist1,list,quicklist2,1,14,152
mylist2,list,quicklist2,2,18,152
mylist3,list,quicklist2,3,22,168
string1,string,raw,1,5,72
string2,string,raw,1,10,72
$ strata parquet cat lake/cluster=demo/batch=*/dump.rdb.parquet --columns cluster,batch,instance --limit 1
cluster,batch,instance
demo,2026-11-30 12:00:00.000000000,dump.rdb

# A batch is written once: the same time again is an error, and nothing new appears.
$ strata rdb dump --quiet --batch-timestamp 2026-11-30T12:00:00Z from-file --path dump.rdb --cluster demo into-parquet --dir lake; echo "exit $?"
strata rdb dump: InvalidArgument: lake/cluster=demo/batch=2026-11-30_12-00-00.000Z: batch already exists
exit 1

# report: one HTML file from the latest batch of a cluster.
$ strata rdb report from-parquet --dir lake --cluster demo
report of cluster demo, batch 2026-11-30_12-00-00.000Z: 6 keys -> report.html
$ head -1 report.html
<!DOCTYPE html>
$ strata rdb report from-parquet --dir lake --cluster other; echo "exit $?"
strata rdb report: NotFound: lake/cluster=other: no such cluster in the lake
exit 1

# Damage. A file cut inside its header; a wrong checksum (exit 1 unless not verified).
$ head -c 50 dump.rdb > cut.rdb
$ strata rdb check cut.rdb; echo "exit $?"
[offset 0] Checking RDB file cut.rdb
[offset 9] RDB version 10 (REDIS magic)
[offset 27] AUX FIELD redis-ver = '7.0.15'
[offset 41] AUX FIELD redis-bits = '64'
--- RDB ERROR DETECTED ---
[offset 50] Corruption: cut.rdb: unexpected end of input (the stream is truncated) at byte 50
[info] 0 keys read
[info] 0 expires
[info] 0 already expired
[info] 0 bytes of values
[info] checksum: not reached
exit 1
$ cp dump.rdb badsum.rdb
$ printf '\x00' | dd of=badsum.rdb bs=1 seek=236 conv=notrunc status=none
$ strata rdb check badsum.rdb | tail -1; echo "exit ${PIPESTATUS[0]}"
[info] checksum: mismatch
exit 1
$ strata rdb check --no-verify-checksum badsum.rdb | tail -1; echo "exit ${PIPESTATUS[0]}"
[info] checksum: not checked
exit 0

# Missing files and bad arguments.
$ strata rdb check missing.rdb; echo "exit $?"
strata rdb check: NotFound: open missing.rdb: No such file or directory
exit 1
$ strata rdb top missing.rdb; echo "exit $?"
strata rdb top: NotFound: open missing.rdb: No such file or directory
exit 1
$ strata rdb prefixes missing.rdb; echo "exit $?"
strata rdb prefixes: NotFound: open missing.rdb: No such file or directory
exit 1
$ strata rdb prefixes dump.rdb --min-share 200%; echo "exit $?"
strata rdb prefixes: --min-share must be like 1% or 0.01
exit 2
$ strata rdb dump --quiet from-file --path missing.rdb --cluster broken into-parquet --dir lake; echo "exit $?"
strata rdb dump: IOError: instance missing.rdb: NotFound: open missing.rdb: No such file or directory
strata rdb dump: kept lake/cluster=broken/_tmp_batch=... for inspection; no batch was published
exit 1
$ strata rdb report from-parquet --dir lake --cluster broken; echo "exit $?"
strata rdb report: NotFound: lake/cluster=broken: no committed batch
exit 1
$ strata rdb dump --batch-timestamp yesterday from-file --path dump.rdb --cluster demo into-parquet --dir lake; echo "exit $?"
strata rdb dump: InvalidArgument: not an RFC 3339 date-time (e.g. 2026-11-30T16:05:09.123Z): yesterday
exit 1
$ strata rdb dump from-file --path dump.rdb --cluster demo; echo "exit $?"
Requires at least 2 subcommands
Run with --help for more information.
exit 106
$ strata rdb dump from-file --path dump.rdb into-parquet --dir lake; echo "exit $?"
--cluster is required
Run with --help for more information.
exit 106
$ strata rdb; echo "exit $?"
A subcommand is required
Run with --help for more information.
exit 106
