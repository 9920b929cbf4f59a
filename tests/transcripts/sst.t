# strata sst dump on a table the engine wrote: the demo's DB part with 8 keys writes one
# batch (run1:user:100000..100007 = {"visits": I}, then a delete of 100000) and flushes it to
# table 000005.sst. Keys are 16 bytes and an 8-byte trailer (sequence, type); values 13 bytes.

$ strata demo --dir data --writers 1 --records 8 >/dev/null
$ strata sst dump data/db/000005.sst; echo "exit $?"
file: data/db/000005.sst size=...
comparator: strata.InternalKeyComparator
compression: lz4
creation_time: ...
data_blocks: 1
entries: 8
raw_key_bytes: 192
raw_value_bytes: 91
index_size: ...
filter_size: ...
smallest_key: "run1:user:100000" seq=9 type=del
largest_key: "run1:user:100007" seq=8 type=put
min_sequence: 2
max_sequence: 9
block 0: offset=0 size=... separator="s"
summary: entries=8 data_blocks=1 key_bytes=192 value_bytes=91 deletions=1 errors=0 end=ok
exit 0

# --entries prints each entry (bytes outside printable ASCII and quotes as \xHH).
$ strata sst dump --entries data/db/000005.sst | grep -E '^entry' | sed -n '1,2p;8p'
entry: key="run1:user:100000" seq=9 type=del value[0]=""
entry: key="run1:user:100001" seq=2 type=put value[13]="{\x22visits\x22: 1}"
entry: key="run1:user:100007" seq=8 type=put value[13]="{\x22visits\x22: 7}"
$ strata sst dump --entries --preview 4 data/db/000005.sst | grep -E '^entry' | sed -n 2p
entry: key="run1"... seq=2 type=put value[13]="{\x22vi"...

# A flipped byte in the data block: the block's checksum fails, exit 1. (The error on stderr
# comes first: tail prints stdout's last lines only once strata has ended.)
$ cp data/db/000005.sst bad.sst
$ printf '\xff' | dd of=bad.sst bs=1 seek=20 conv=notrunc status=none
$ strata sst dump bad.sst | tail -2; echo "exit ${PIPESTATUS[0]}"
strata sst: Corruption: bad.sst: offset 0: block checksum mismatch
error: Corruption: bad.sst: offset 0: block checksum mismatch
summary: entries=0 data_blocks=1 key_bytes=0 value_bytes=0 deletions=0 errors=1 end=error
exit 1

# Not a table: the footer's magic number (the file's last 8 bytes; seq 1 1000 is 3893 bytes)
# is wrong, or the file is too small to hold a footer. A missing file.
$ seq 1 1000 > text.sst
$ strata sst dump text.sst; echo "exit $?"
strata sst: Corruption: text.sst: offset 3885: bad magic number: not a Strata table, or its footer is damaged
exit 1
$ : > empty.sst
$ strata sst dump empty.sst; echo "exit $?"
strata sst: Corruption: empty.sst: file of 0 bytes is too small to be a table (footer is 76 bytes)
exit 1
$ strata sst dump missing.sst; echo "exit $?"
strata sst: NotFound: stat missing.sst: No such file or directory
exit 1
$ strata sst dump; echo "exit $?"
FILE is required
Run with --help for more information.
exit 106
$ strata sst; echo "exit $?"
A subcommand is required
Run with --help for more information.
exit 106
