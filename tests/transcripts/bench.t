# strata bench wal / parquet / db with small counts, from an empty directory: each driver
# makes its default directory under ./strata-data, parents included. Figures vary from run to
# run; the fields do not.

$ strata bench wal --writers 2 --records 200 --value-size 100
{"bench":"wal","writers":2,"sync":"none","records":200,"value_size":100,"seconds":...,"records_per_s":...,"mb_per_s":...,"p50_us":...,"p99_us":...,"p999_us":...,"max_us":...,"avg_group":...,"log_bytes":21431}
$ ls -1 strata-data
bench-wal

# 200 records of 100 bytes after the 31-byte file header, 7 bytes of header each: 21431
# bytes, all in the first 32 KiB block. --keep keeps the log; --replay reads it back.
$ strata bench wal --writers 2 --records 200 --sync always --keep --replay --dir wal-bench
{"bench":"wal","writers":2,"sync":"always","records":200,"value_size":100,"seconds":...,"log_bytes":21431,"replay_seconds":...,"replay_gb_per_s":...}
$ strata wal verify wal-bench/000001.log | tail -1
summary: records=200 payload_bytes=20000 corruptions=0 valid_bytes=21431 end=clean

$ strata bench parquet --rows 1000 --codecs zstd,none --keep
{"bench":"parquet","codec":"zstd","rows":1000,"seconds":...,"rows_per_s":...,"mb_per_s":...,"file_bytes":...,"row_groups":1,"threads":...}
{"bench":"parquet","codec":"none","rows":1000,"seconds":...,"rows_per_s":...,"mb_per_s":...,"file_bytes":...,"row_groups":1,"threads":...}
$ ls -1 strata-data/bench-parquet
groupby-none.parquet
groupby-zstd.parquet

# The kept file holds the db-benchmark group-by table of bench/parquet_bench.h.
$ strata parquet inspect strata-data/bench-parquet/groupby-zstd.parquet | grep '^rows:'
rows:                1000
$ strata parquet inspect strata-data/bench-parquet/groupby-zstd.parquet | awk '/^  [0-9] / {print $1, $2, $3}'
0 id1 string
1 id2 string
2 id3 string
3 id4 int32
4 id5 int32
5 id6 int32
6 v1 int32
7 v2 int32
8 v3 double

# Without --keep the files go (the directory stays).
$ strata bench parquet --rows 1000 --codecs lz4 --read
{"bench":"parquet","codec":"lz4","rows":1000,...,"row_groups":1,"threads":...,"read_seconds":...,"read_mb_per_s":...,"read_uncompressed_mb_per_s":...}
$ ls -1 strata-data/bench-parquet
groupby-none.parquet
groupby-zstd.parquet

# bench db prints db_bench's header and result lines.
$ strata bench db --benchmarks=fillseq,readrandom --num=1000 --compression_type=none
Strata:     bench db (db_bench workloads)
Date:       ...
CPU:        ...
Keys:       16 bytes each
Values:     100 bytes each (50 bytes after compression)
Entries:    1000
RawSize:    0.1 MB (estimated)
FileSize:   0.1 MB (estimated)
Compression: NoCompression
Block cache: 8388608 bytes
Bloom bits: 10
Write buffer: 67108864 bytes
WAL writes: shared mapping
Threads:    1
Seed:       ...
DB path:    [strata-data/bench-db]
------------------------------------------------
fillseq      : ... micros/op ... ops/sec ... seconds 1000 operations; ... MB/s
readrandom   : ... micros/op ... ops/sec ... seconds 1000 operations; ... MB/s (1000 of 1000 found)
$ ls -1 strata-data
bench-db
bench-parquet
bench-wal

# Bad arguments.
$ strata bench wal --sync sometimes; echo "exit $?"
unknown --sync sometimes (always, interval, none)
exit 2
$ strata bench wal --writers 0; echo "exit $?"
strata bench wal: InvalidArgument: --writers must be at least 1
exit 1
$ strata bench wal --records 1 --writers 2; echo "exit $?"
strata bench wal: InvalidArgument: --records must be at least --writers
exit 1
$ strata bench parquet --rows 10 --codecs brotli; echo "exit $?"
strata bench parquet: InvalidArgument: unknown codec brotli
exit 1
$ strata bench db --benchmarks=frobnicate; echo "exit $?"
strata bench db: InvalidArgument: unknown benchmark 'frobnicate': known: fillseq, fillrandom, overwrite, fillsync, readrandom, readseq, readreverse, seekrandom, readwhilewriting, waitforcompaction
exit 1
$ touch afile
$ strata bench wal --records 10 --dir afile/wal; echo "exit $?"
strata bench wal: IOError: creating afile/wal: Not a directory
exit 1
$ strata bench parquet --rows 10 --dir afile/parquet; echo "exit $?"
strata bench parquet: IOError: creating afile/parquet: Not a directory
exit 1
$ strata bench; echo "exit $?"
A subcommand is required
Run with --help for more information.
exit 106
