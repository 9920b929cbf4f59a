# strata db check / stats / checkpoint on a DB made with kv. Each kv command opens the DB,
# and opening turns the previous process's log into a level-0 table: after two puts the DB
# has table 000004.sst holding a, and log 000005.log holding b.

$ strata kv put --db db --create a 1
$ strata kv put --db db b 2
$ strata db check db; echo "exit $?"
manifest: db/MANIFEST-000006 log_number=5 last_sequence=1
table: db/000004.sst level=0 entries=1 bytes=... ok
log: db/000005.log batches=1 updates=1 ok
summary: tables=1 entries=1 table_bytes=... logs=1 batches=1 updates=1 problems=0 warnings=0 notes=0 end=ok
exit 0

# check only reads: the DB is as it was.
$ ls -1 db
000004.sst
000005.log
CURRENT
LOCK
MANIFEST-000006

# A checkpoint is an independent DB. Making it opens the DB, which turns log 000005 into
# table 000007; the checkpoint links both tables.
$ strata db checkpoint db backup
checkpoint of db written to backup
$ strata db check backup | tail -1
summary: tables=2 entries=2 table_bytes=... logs=0 batches=0 updates=0 problems=0 warnings=0 notes=0 end=ok
$ strata kv put --db backup c 3
$ strata kv scan --db backup
a	1
b	2
c	3
$ strata kv scan --db db
a	1
b	2

# stats opens the DB (recovering it) and prints strata.stats: two tables, and the memtable
# makes three sorted runs.
$ strata db stats db | grep -E '^(level|L0|sum) '
level  files    size_mb  target_mb   score r_amp   runs  moves read_up_mb read_lv_mb   write_mb  w_amp   seconds
L0         2        0.0          -    0.50     2      0      0        0.0        0.0        0.0   0.00      0.00
sum        2        0.0          -       -     3      0      0        0.0        0.0        0.0   0.00      0.00

# A damaged table: check names it and exits 1 (the table's first bytes are its data block).
$ printf '\xff' | dd of=db/000004.sst bs=1 seek=3 conv=notrunc status=none
$ strata db check db; echo "exit $?"
manifest: db/MANIFEST-... log_number=... last_sequence=2
table: db/000007.sst level=0 entries=1 bytes=... ok
problem: db/000004.sst: offset 0: block checksum mismatch
log: db/... batches=0 updates=0 ok
summary: tables=1 entries=1 table_bytes=... logs=1 batches=0 updates=0 problems=1 warnings=0 notes=0 end=corrupt
strata db check: Corruption: db: 1 problem(s); the first: db/000004.sst: offset 0: block checksum mismatch
exit 1

# Errors: no DB, a checkpoint over an existing directory.
$ strata db check nodb; echo "exit $?"
strata db check: InvalidArgument: nodb: cannot list the directory: NotFound: list nodb: No such file or directory
exit 1
$ strata db stats nodb; echo "exit $?"
strata db stats: InvalidArgument: nodb: is not a Strata DB (no CURRENT); set create_if_missing
exit 1
$ strata db checkpoint nodb backup2; echo "exit $?"
strata db checkpoint: InvalidArgument: nodb: is not a Strata DB (no CURRENT); set create_if_missing
exit 1
$ strata db checkpoint backup backup; echo "exit $?"
strata db checkpoint: InvalidArgument: backup: exists; a checkpoint needs a new directory
exit 1
$ strata db checkpoint db; echo "exit $?"
DEST is required
Run with --help for more information.
exit 106
$ strata db; echo "exit $?"
A subcommand is required
Run with --help for more information.
exit 106
