# strata demo (what `make run` runs): a write-ahead log written from several threads with
# group commit and read back, then a batch through the engine. Small counts keep it fast.

$ strata demo --dir data --records 40 --writers 2
Strata 0.1.0 self-demonstration (the server arrives in a later release)
data directory: data
wrote 40 records from 2 threads with sync=always (group commit) to data/wal/000001.log in ... ms
read back 40 records from data/wal/000001.log: all intact, each writer's records in order
logs in data/wal: 000001.log (keeping the newest 3, deleted 0)
look inside: build/release/strata wal dump data/wal/000001.log | head
DB data/db: wrote 40 keys and deleted every tenth in one synced batch, flushed, reopened: 36 keys live, run1:user:100001 = {"visits": 1}; 1 level-0 table(s), ... bytes
try: build/release/strata kv scan --db data/db --limit 3

# What it suggests works, and shows the first keys (100000 was deleted: every tenth is).
$ build/release/strata kv scan --db data/db --limit 3
run1:user:100001	{"visits": 1}
run1:user:100002	{"visits": 2}
run1:user:100003	{"visits": 3}
$ strata wal verify data/wal/000001.log | tail -1
summary: records=40 payload_bytes=... corruptions=0 valid_bytes=... end=clean

# Each run starts the next log and keys of its own; older logs beyond --keep-logs go.
$ strata demo --dir data --records 40 --writers 2 | grep -E '^(logs|DB)'
logs in data/wal: 000001.log 000002.log (keeping the newest 3, deleted 0)
DB data/db: wrote 40 keys and deleted every tenth in one synced batch, flushed, reopened: 36 keys live, run2:user:100001 = {"visits": 1}; 2 level-0 table(s), ... bytes
$ strata demo --dir data --records 40 --writers 2 --keep-logs 1 | grep '^logs'
logs in data/wal: 000003.log (keeping the newest 1, deleted 2)

# The default directory is ./strata-data, made where the command runs.
$ strata demo --records 4 --writers 2 | sed -n 2p
data directory: strata-data
$ ls -1
data
strata-data

# Bad counts are usage errors (exit 2); a data directory that cannot be made is an error.
$ strata demo --dir data --writers 0; echo "exit $?"
strata demo: need --writers >= 1 and --records >= --writers
exit 2
$ strata demo --dir data --records 3 --writers 4; echo "exit $?"
strata demo: need --writers >= 1 and --records >= --writers
exit 2
$ touch afile
$ strata demo --dir afile; echo "exit $?"
strata demo: IOError: create directory afile: exists and is not a directory
exit 1
$ strata demo --dir missing/data; echo "exit $?"
strata demo: NotFound: create directory missing/data: No such file or directory
exit 1
