# strata wal dump / verify on a log whose every byte is known: the demo with one writer
# writes "writer=0 seq=I payload=" and I bytes 'a' as record I, so record I has 23 + I bytes.
# The file header is 31 bytes, each record header 7: records start at 31, 61, 92, 124, 157
# and the log ends at 191 (docs/formats/wal.md).

$ strata demo --dir data --writers 1 --records 5 | sed -n 3p
wrote 5 records from 1 threads with sync=always (group commit) to data/wal/000001.log in ... ms
$ cp data/wal/000001.log wal.log

$ strata wal dump wal.log
header: version=1 purpose=wal log_number=1
record offset=31 length=23 type=FULL fragments=1 data=7772697465723d30207365713d302070 "writer=0 seq=0 p" ...
record offset=61 length=24 type=FULL fragments=1 data=7772697465723d30207365713d312070 "writer=0 seq=1 p" ...
record offset=92 length=25 type=FULL fragments=1 data=7772697465723d30207365713d322070 "writer=0 seq=2 p" ...
record offset=124 length=26 type=FULL fragments=1 data=7772697465723d30207365713d332070 "writer=0 seq=3 p" ...
record offset=157 length=27 type=FULL fragments=1 data=7772697465723d30207365713d342070 "writer=0 seq=4 p" ...
summary: records=5 payload_bytes=125 corruptions=0 valid_bytes=191 end=clean

# --preview sets how many payload bytes are shown; a record no longer than that has no "...".
$ strata wal dump wal.log --preview 30 | sed -n 2,3p
record offset=31 length=23 type=FULL fragments=1 data=7772697465723d30207365713d30207061796c6f61643d "writer=0 seq=0 payload="
record offset=61 length=24 type=FULL fragments=1 data=7772697465723d30207365713d31207061796c6f61643d61 "writer=0 seq=1 payload=a"

$ strata wal verify wal.log; echo "exit $?"
header: version=1 purpose=wal log_number=1
summary: records=5 payload_bytes=125 corruptions=0 valid_bytes=191 end=clean
exit 0

# A flipped byte in the payload of record 2 (offset 92, payload from 99). verify stops there
# and fails; dump reports it and goes on.
$ cp wal.log damaged.log
$ printf '\xff' | dd of=damaged.log bs=1 seek=102 conv=notrunc status=none
$ strata wal verify damaged.log; echo "exit $?"
header: version=1 purpose=wal log_number=1
corruption offset=92 bytes=99 reason=checksum mismatch in FULL record
summary: records=2 payload_bytes=47 corruptions=1 valid_bytes=92 end=error
strata wal: Corruption: damaged.log: offset 92: checksum mismatch in FULL record
exit 1
$ strata wal dump damaged.log; echo "exit $?"
header: version=1 purpose=wal log_number=1
record offset=31 length=23 type=FULL fragments=1 data=7772697465723d30207365713d302070 "writer=0 seq=0 p" ...
record offset=61 length=24 type=FULL fragments=1 data=7772697465723d30207365713d312070 "writer=0 seq=1 p" ...
corruption offset=92 bytes=99 reason=checksum mismatch in FULL record
summary: records=2 payload_bytes=47 corruptions=1 valid_bytes=92 end=clean
exit 0

# A torn tail (the last record cut short, as a crash leaves it): the default mode of verify
# counts it as damage; tolerate_corrupted_tail accepts the log up to the last whole record.
$ head -c 180 wal.log > torn.log
$ strata wal verify torn.log; echo "exit $?"
header: version=1 purpose=wal log_number=1
corruption offset=157 bytes=0 reason=file ends inside a record (34 bytes needed, 23 present)
summary: records=4 payload_bytes=98 corruptions=1 valid_bytes=157 end=error
strata wal: Corruption: torn.log: offset 157: file ends inside a record (34 bytes needed, 23 present)
exit 1
$ strata wal verify --mode tolerate_corrupted_tail torn.log; echo "exit $?"
header: version=1 purpose=wal log_number=1
torn-tail offset=157 reason=file ends inside a record (34 bytes needed, 23 present)
summary: records=4 payload_bytes=98 corruptions=0 valid_bytes=157 end=torn-tail
exit 0

# Not a log (the header's type byte is text.log's seventh, '4'), a missing file, a bad mode,
# no file: errors that name what is wrong.
$ seq 1 20000 > text.log
$ strata wal verify text.log; echo "exit $?"
summary: records=0 payload_bytes=0 corruptions=0 valid_bytes=0 end=error
strata wal: Corruption: text.log: offset 0: not a Strata log, or its header is damaged: unknown record type 52
exit 1
$ strata wal dump missing.log; echo "exit $?"
strata wal: NotFound: open missing.log: No such file or directory
exit 1
$ strata wal verify --mode careful wal.log; echo "exit $?"
unknown --mode careful
exit 2
$ strata wal dump; echo "exit $?"
FILE is required
Run with --help for more information.
exit 106
$ strata wal dump --bogus wal.log; echo "exit $?"
The following argument was not expected: --bogus
Run with --help for more information.
exit 109
$ strata wal; echo "exit $?"
A subcommand is required
Run with --help for more information.
exit 106
