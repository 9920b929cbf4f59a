# strata parquet from-csv / cat / inspect: a small CSV through Parquet and back.

$ printf 'id,name,score\n3,cy,1.25\n1,ann,3.5\n2,"bob, jr",\n' > people.csv
$ strata parquet from-csv people.csv people.parquet
wrote people.parquet: 3 rows, 1 row group, ... bytes, SNAPPY
$ strata parquet cat people.parquet
id,name,score
3,cy,1.25
1,ann,3.5
2,"bob, jr",
$ strata parquet cat people.parquet --format jsonl
{"id":3,"name":"cy","score":1.25}
{"id":1,"name":"ann","score":3.5}
{"id":2,"name":"bob, jr","score":null}
$ strata parquet cat people.parquet --columns name,id --limit 2
name,id
cy,3
ann,1

# --where keeps the rows that match; NULL never matches.
$ strata parquet cat people.parquet --where 'id>=2'
id,name,score
3,cy,1.25
2,"bob, jr",
$ strata parquet cat people.parquet --where 'score<2'
id,name,score
3,cy,1.25
$ strata parquet cat people.parquet --where 'name=bob, jr'
id,name,score
2,"bob, jr",

# inspect: inferred types, all nullable (a CSV field may be empty).
$ strata parquet inspect people.parquet | grep -E '^(rows|row groups|schema):|^  [0-9] '
rows:                3
row groups:          1
schema:              3 columns
  0  id     int64?   INT64       INTEGER(64,signed)  INT_64     OPTIONAL    -       TYPE_ORDER
  1  name   string?  BYTE_ARRAY  STRING              UTF8       OPTIONAL    -       TYPE_ORDER
  2  score  double?  DOUBLE      -                   -          OPTIONAL    -       TYPE_ORDER

# A schema instead of inference, sorted rows, another codec, no header line.
$ tail -n +2 people.csv > rows.csv
$ strata parquet from-csv rows.csv sorted.parquet --no-header --schema 'id:int32,name:string,score:float?' --sort-by id --compression zstd
wrote sorted.parquet: 3 rows, 1 row group, ... bytes, ZSTD
$ strata parquet cat sorted.parquet
id,name,score
1,ann,3.5
2,"bob, jr",
3,cy,1.25
$ strata parquet inspect sorted.parquet | grep -E '^  [0-9] |sorting columns'
  0  id     int32   INT32       INTEGER(32,signed)  INT_32     REQUIRED    -       TYPE_ORDER
  1  name   string  BYTE_ARRAY  STRING              UTF8       REQUIRED    -       TYPE_ORDER
  2  score  float?  FLOAT       -                   -          OPTIONAL    -       TYPE_ORDER
  sorting columns:   id ASC NULLS FIRST

# Bad input is an error that names the file, line and column; nothing is left behind.
$ printf 'id,name\n1,ann\n2\n' > ragged.csv
$ strata parquet from-csv ragged.csv out.parquet; echo "exit $?"
strata parquet: InvalidArgument: ragged.csv: line 3: 1 fields, expected 2 (as in the header)
exit 1
$ printf 'id\nx\n' > text.csv
$ strata parquet from-csv text.csv out.parquet --schema id:int64; echo "exit $?"
strata parquet: InvalidArgument: text.csv: line 2, column 1 (id): "x" is not an integer (int64)
exit 1
$ ls out.parquet*; echo "exit $?"
ls: cannot access 'out.parquet*': No such file or directory
exit 2

# Not Parquet, missing files, bad flags.
$ strata parquet cat people.csv; echo "exit $?"
strata parquet: Corruption: people.csv: not a Parquet file: no PAR1 magic at byte 0
exit 1
$ strata parquet inspect missing.parquet; echo "exit $?"
strata parquet: NotFound: stat missing.parquet: No such file or directory
exit 1
$ strata parquet from-csv missing.csv out.parquet; echo "exit $?"
strata parquet: NotFound: open missing.csv: No such file or directory
exit 1
$ strata parquet cat people.parquet --format xml; echo "exit $?"
--format: xml not in {csv,jsonl}
Run with --help for more information.
exit 105
$ strata parquet cat people.parquet --columns nope; echo "exit $?"
strata parquet: InvalidArgument: people.parquet: --columns: no column named "nope"
exit 1
$ strata parquet from-csv people.csv; echo "exit $?"
OUT is required
Run with --help for more information.
exit 106
