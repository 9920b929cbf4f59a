#!/usr/bin/env bash
# strata parquet from-csv / cat / inspect, on real files, checked from the outside. Every
# expected output below is written by hand from the formats --help documents.
set -euo pipefail
strata=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# Compares a file with the expected text given on stdin, byte for byte.
expect_file() {
  local got=$1 what=$2
  cat >"$tmp/expected"
  diff -u "$tmp/expected" "$got" || fail "$what differs from the expected output"
}
# Runs a command that must fail with exit code 1 and a "strata parquet: " message naming
# $needle on stderr.
expect_error() {
  local needle=$1
  shift
  local rc=0
  "$@" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
  [ "$rc" = 1 ] || fail "$* exited $rc, not 1: $(cat "$tmp/stderr")"
  grep -q '^strata parquet: ' "$tmp/stderr" || fail "$*: no 'strata parquet: ' prefix: $(cat "$tmp/stderr")"
  grep -qF -- "$needle" "$tmp/stderr" || fail "$*: message does not name $needle: $(cat "$tmp/stderr")"
}

# --- Help: every command, with its defaults.
for cmd in "parquet" "parquet inspect" "parquet cat" "parquet from-csv"; do
  out=$("$strata" $cmd --help) || fail "$cmd --help exited non-zero"
  [ -n "$out" ] || fail "$cmd --help printed nothing"
done
cat_help=$("$strata" parquet cat --help)
grep -qE -- '--limit UINT=0 ' <<<"$cat_help" || fail "cat --limit default"
grep -qE -- '--format .*=csv ' <<<"$cat_help" || fail "cat --format default"
grep -q 'jsonl: one JSON object per row' <<<"$cat_help" || fail "cat --help documents jsonl"
grep -q '\\xHH' <<<"$cat_help" || fail "cat --help documents the binary rule"
grep -q 'beyond 2^53' <<<"$cat_help" || fail "cat --help documents large integers in JSON"
csv_help=$("$strata" parquet from-csv --help)
grep -qE -- '--compression .*=snappy' <<<"$csv_help" || fail "from-csv --compression default"
grep -qE -- '--compression-level INT=0 ' <<<"$csv_help" || fail "from-csv --compression-level default"
grep -qE -- '--row-group-rows .*=1048576' <<<"$csv_help" || fail "from-csv --row-group-rows default"
grep -qE -- '--delimiter TEXT=, ' <<<"$csv_help" || fail "from-csv --delimiter default"
grep -qE -- '--page-version .*=1 ' <<<"$csv_help" || fail "from-csv --page-version default"
grep -q 'Default: --header' <<<"$csv_help" || fail "from-csv --header default"
grep -q 'Default: --dictionary' <<<"$csv_help" || fail "from-csv --dictionary default"
grep -q 'Empty: infer' <<<"$csv_help" || fail "from-csv --schema default"
grep -q 'row_groups \[{index, num_rows' <<<"$("$strata" parquet inspect --help)" ||
  fail "inspect --help documents the JSON document"

# --- from-csv with inferred types: quotes, "" escapes, an embedded newline, CRLF, NULLs,
# NaN and infinities, dates and timestamps before 1970, a 'T' separator and a trailing Z.
# (Records end in CRLF; the newline inside the quoted field is a plain LF.)
{
  printf '%s\r\n' 'id,name,score,day,at,ok' \
    '1,alice,1.5,2026-11-21,2026-11-21 12:00:00.123,true' \
    '2,"bob, ""jr""",-0.25,1969-12-31,1969-12-31T23:59:59.999Z,false'
  printf '3,"two\nlines",NaN,,,\r\n'
  printf '%s\r\n' '4,"",-Infinity,2000-02-29,1900-01-01 00:00:00,TRUE'
} >"$tmp/people.csv"
out=$("$strata" parquet from-csv "$tmp/people.csv" "$tmp/people.parquet")
grep -qE "^wrote $tmp/people.parquet: 4 rows, 1 row group, [0-9]+ bytes, SNAPPY$" <<<"$out" ||
  fail "from-csv summary: $out"
[ ! -e "$tmp/people.parquet.tmp" ] || fail "from-csv left its temporary file"
"$strata" parquet cat "$tmp/people.parquet" >"$tmp/people.out"
expect_file "$tmp/people.out" "cat of the inferred file" <<'EOF'
id,name,score,day,at,ok
1,alice,1.5,2026-11-21,2026-11-21 12:00:00.123,true
2,"bob, ""jr""",-0.25,1969-12-31,1969-12-31 23:59:59.999,false
3,"two
lines",NaN,,,
4,"",-Infinity,2000-02-29,1900-01-01 00:00:00.000,true
EOF
"$strata" parquet cat "$tmp/people.parquet" --format jsonl >"$tmp/people.jsonl"
expect_file "$tmp/people.jsonl" "cat --format jsonl" <<'EOF'
{"id":1,"name":"alice","score":1.5,"day":"2026-11-21","at":"2026-11-21 12:00:00.123","ok":true}
{"id":2,"name":"bob, \"jr\"","score":-0.25,"day":"1969-12-31","at":"1969-12-31 23:59:59.999","ok":false}
{"id":3,"name":"two\nlines","score":"NaN","day":null,"at":null,"ok":null}
{"id":4,"name":"","score":"-Infinity","day":"2000-02-29","at":"1900-01-01 00:00:00.000","ok":true}
EOF
# What cat prints converts back to the same file contents.
"$strata" parquet from-csv "$tmp/people.out" "$tmp/people2.parquet" >/dev/null
"$strata" parquet cat "$tmp/people2.parquet" >"$tmp/people2.out"
cmp "$tmp/people.out" "$tmp/people2.out" || fail "cat -> from-csv -> cat changed the rows"

# --columns, --limit.
"$strata" parquet cat "$tmp/people.parquet" --columns ok,id --limit 2 >"$tmp/cols.out"
expect_file "$tmp/cols.out" "cat --columns ok,id --limit 2" <<'EOF'
ok,id
true,1
false,2
EOF
expect_error 'no column named "nope"' "$strata" parquet cat "$tmp/people.parquet" --columns id,nope

# Inferred types show in inspect: names, physical types, annotations, OPTIONAL.
insp=$("$strata" parquet inspect "$tmp/people.parquet")
grep -qE '^rows: +4$' <<<"$insp" || fail "inspect rows: $insp"
grep -qE '^  1 +name +string\? +BYTE_ARRAY +STRING +UTF8 +OPTIONAL ' <<<"$insp" || fail "inspect name column: $insp"
grep -qE '^  2 +score +double\? +DOUBLE +- +- +OPTIONAL ' <<<"$insp" || fail "inspect score column: $insp"
grep -qE '^  3 +day +date\? +INT32 +DATE +DATE +OPTIONAL ' <<<"$insp" || fail "inspect day column: $insp"
grep -qE '^  4 +at +timestamp_ms\? +INT64 +TIMESTAMP\(MILLIS,UTC\) +TIMESTAMP_MILLIS +OPTIONAL ' <<<"$insp" ||
  fail "inspect at column: $insp"
grep -qE '^    statistics: +nulls 0, NaNs 1, min -Infinity \(exact\), max 1.5 \(exact\)$' <<<"$insp" ||
  fail "inspect score statistics: $insp"
grep -qE '^    statistics: +nulls 1, min 1900-01-01 00:00:00.000 \(exact\), max 2026-11-21 12:00:00.123 \(exact\)$' <<<"$insp" ||
  fail "inspect timestamp statistics: $insp"
grep -qE '^    statistics: +nulls 0, min "" \(exact\), max "two\\x0Alines" \(exact\)$' <<<"$insp" ||
  fail "inspect string statistics: $insp"

# --- from-csv with --schema: every type at its limits, REQUIRED and OPTIONAL columns.
schema='b:bool,i8:int8,i16:int16,u8:uint8,u32:uint32,u64:uint64,f:float,d:double,s:string?,bin:binary?,day:date,ms:timestamp_ms,us:timestamp_us,ns:timestamp_ns'
cat >"$tmp/typed.csv" <<'EOF'
b,i8,i16,u8,u32,u64,f,d,s,bin,day,ms,us,ns
true,-128,-32768,255,4294967295,18446744073709551615,0.1,1e-300,café,\x00\xFF\x5C,1969-12-31,1969-12-31 23:59:59.999,1970-01-01 00:00:00.000001,1677-09-21 00:12:43.145224192
false,127,32767,0,0,0,-3.5,-0,,,2262-04-11,2262-04-11 23:47:16.854,9999-12-31 23:59:59.999999,2262-04-11 23:47:16.854775807
EOF
"$strata" parquet from-csv "$tmp/typed.csv" "$tmp/typed.parquet" --schema "$schema" >/dev/null
"$strata" parquet cat "$tmp/typed.parquet" >"$tmp/typed.out"
expect_file "$tmp/typed.out" "cat of the typed file" <<'EOF'
b,i8,i16,u8,u32,u64,f,d,s,bin,day,ms,us,ns
true,-128,-32768,255,4294967295,18446744073709551615,0.1,1e-300,café,\x00\xFF\x5C,1969-12-31,1969-12-31 23:59:59.999,1970-01-01 00:00:00.000001,1677-09-21 00:12:43.145224192
false,127,32767,0,0,0,-3.5,-0,,,2262-04-11,2262-04-11 23:47:16.854,9999-12-31 23:59:59.999999,2262-04-11 23:47:16.854775807
EOF
"$strata" parquet cat "$tmp/typed.parquet" --format jsonl --columns u64,bin,s,ns >"$tmp/typed.jsonl"
expect_file "$tmp/typed.jsonl" "typed jsonl" <<'EOF'
{"u64":18446744073709551615,"bin":"\\x00\\xFF\\x5C","s":"café","ns":"1677-09-21 00:12:43.145224192"}
{"u64":0,"bin":null,"s":null,"ns":"2262-04-11 23:47:16.854775807"}
EOF
insp=$("$strata" parquet inspect "$tmp/typed.parquet")
grep -qE '^  5 +u64 +uint64 +INT64 +INTEGER\(64,unsigned\) +UINT_64 +REQUIRED ' <<<"$insp" || fail "inspect u64: $insp"
grep -qE '^  1 +i8 +int8 +INT32 +INTEGER\(8,signed\) +INT_8 +REQUIRED ' <<<"$insp" || fail "inspect i8: $insp"
grep -qE '^  13 +ns +timestamp_ns +INT64 +TIMESTAMP\(NANOS,UTC\) +- +REQUIRED ' <<<"$insp" || fail "inspect ns: $insp"
grep -qE '^    statistics: +nulls 0, min 0 \(exact\), max 18446744073709551615 \(exact\)$' <<<"$insp" ||
  fail "inspect unsigned statistics: $insp"
grep -qE '^    statistics: +nulls 1, min "\\x00\\xFF\\x5C" \(exact\), max "\\x00\\xFF\\x5C" \(exact\)$' <<<"$insp" ||
  fail "inspect binary statistics: $insp"
"$strata" parquet from-csv "$tmp/typed.out" "$tmp/typed2.parquet" --schema "$schema" >/dev/null
"$strata" parquet cat "$tmp/typed2.parquet" | cmp - "$tmp/typed.out" || fail "typed round trip"

# --- Every codec writes a file that reads back the same, and inspect names the codec.
for codec in none snappy gzip zstd lz4; do
  case $codec in
    none) name=UNCOMPRESSED ;;
    lz4) name=LZ4_RAW ;;
    *) name=$(tr a-z A-Z <<<"$codec") ;;
  esac
  out=$("$strata" parquet from-csv "$tmp/typed.csv" "$tmp/$codec.parquet" --schema "$schema" \
        --compression "$codec")
  grep -qE ", $name\$" <<<"$out" || fail "from-csv --compression $codec summary: $out"
  "$strata" parquet cat "$tmp/$codec.parquet" | cmp - "$tmp/typed.out" || fail "cat of $codec"
  insp=$("$strata" parquet inspect "$tmp/$codec.parquet")
  [ "$(grep -cE "^    codec: +$name\$" <<<"$insp")" = 14 ] || fail "inspect codec $name: $insp"
done
"$strata" parquet from-csv "$tmp/typed.csv" "$tmp/zstd9.parquet" --schema "$schema" \
  --compression zstd --compression-level 9 >/dev/null
"$strata" parquet cat "$tmp/zstd9.parquet" | cmp - "$tmp/typed.out" || fail "zstd level 9"

# --- Layout options: row groups, sorting, page version, dictionary, bloom filters, delimiter.
{
  echo 'k;city'
  for i in 9 3 7 1 5 8 2 6 4 10; do echo "$i;city$((i % 3))"; done
} >"$tmp/sortme.csv"
out=$("$strata" parquet from-csv "$tmp/sortme.csv" "$tmp/sorted.parquet" --delimiter ';' \
      --sort-by k --row-group-rows 4 --page-version 2 --bloom-filter city --compression zstd)
grep -qE "^wrote .*: 10 rows, 3 row groups, [0-9]+ bytes, ZSTD$" <<<"$out" || fail "sorted summary: $out"
"$strata" parquet cat "$tmp/sorted.parquet" --format jsonl --columns k --limit 5 >"$tmp/sorted.out"
expect_file "$tmp/sorted.out" "sorted rows" <<'EOF'
{"k":1}
{"k":2}
{"k":3}
{"k":4}
{"k":5}
EOF
insp=$("$strata" parquet inspect "$tmp/sorted.parquet")
[ "$(grep -cE '^  sorting columns: +k ASC NULLS FIRST$' <<<"$insp")" = 3 ] || fail "sorting columns: $insp"
grep -qE '^row group 2: +2 rows, ' <<<"$insp" || fail "last row group: $insp"
# (The order of encodings in the list is the writer's; only the members matter.)
grep -qE '^    encodings: +.*RLE_DICTIONARY' <<<"$insp" || fail "dictionary encodings: $insp"
grep -E '^    encoding stats: ' <<<"$insp" | grep 'DICTIONARY_PAGE PLAIN x1' |
  grep -q 'DATA_PAGE_V2 RLE_DICTIONARY x1' || fail "encoding stats: $insp"
grep -qE '^    encoding stats: +DATA_PAGE_V2 PLAIN x1$' <<<"$insp" || fail "v2 plain pages: $insp"
[ "$(grep -cE '^    bloom filter: +offset [0-9]+, [0-9]+ bytes$' <<<"$insp")" = 3 ] || fail "bloom filters: $insp"
grep -qE '^    page index: +column index [0-9]+ \([0-9]+ bytes\), offset index [0-9]+ \([0-9]+ bytes\)$' <<<"$insp" ||
  fail "page index: $insp"
grep -qE '^    statistics: +nulls 0, min 1 \(exact\), max 4 \(exact\)$' <<<"$insp" || fail "row group 0 statistics: $insp"
"$strata" parquet from-csv "$tmp/sortme.csv" "$tmp/plain.parquet" --delimiter ';' --no-dictionary >/dev/null
insp=$("$strata" parquet inspect "$tmp/plain.parquet")
grep -q RLE_DICTIONARY <<<"$insp" && fail "--no-dictionary still wrote dictionary pages: $insp"
grep -qE '^  sorting columns: +none$' <<<"$insp" || fail "unsorted file has sorting columns: $insp"
grep -qE '^    bloom filter: +none$' <<<"$insp" || fail "unasked-for bloom filter: $insp"

# Sorting more rows than one in-memory run (100000 rows) spills runs beside the output and
# merges them; GNU sort is the oracle, and no run file is left behind.
{
  echo 'a,b'
  seq 250000 -1 1 | awk '{ print $1 "," ($1 % 7) }'
} >"$tmp/many.csv"
"$strata" parquet from-csv "$tmp/many.csv" "$tmp/many.parquet" --sort-by b,a >/dev/null
"$strata" parquet cat "$tmp/many.parquet" | tail -n +2 >"$tmp/many.out"
tail -n +2 "$tmp/many.csv" | LC_ALL=C sort -t, -k2,2n -k1,1n >"$tmp/many.expected"
cmp "$tmp/many.expected" "$tmp/many.out" || fail "--sort-by b,a over spilled runs"
! ls "$tmp"/*sort-run* >/dev/null 2>&1 || fail "sort runs left behind: $(ls "$tmp")"
# A bad field after runs were spilled: the error names it, and no run or output remains.
{ cat "$tmp/many.csv"; echo 'x,1'; } >"$tmp/many_bad.csv"
expect_error "$tmp/many_bad.csv: line 250002, column 1 (a)" \
  "$strata" parquet from-csv "$tmp/many_bad.csv" "$tmp/many_bad.parquet" --sort-by b,a \
  --schema 'a:int64,b:int64'
! ls "$tmp"/*sort-run* "$tmp"/many_bad.parquet* >/dev/null 2>&1 || fail "failed sort left files: $(ls "$tmp")"

# inspect --json is one JSON document with the documented keys.
"$strata" parquet inspect --json "$tmp/sorted.parquet" >"$tmp/sorted.json"
for key in '"file_size": ' '"num_rows": 10' '"num_row_groups": 3' '"codec": "ZSTD"' \
           '"physical_type": "INT64"' '"logical_type": "STRING"' '"column": "k"' \
           '"nulls_first": true' '"min": "1"' '"max_exact": true' '"bloom_filter_offset": ' \
           '"page_type": "DATA_PAGE_V2"'; do
  grep -qF -- "$key" "$tmp/sorted.json" || fail "inspect --json lacks $key"
done
if command -v python3 >/dev/null; then
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["row_groups"][2]["num_rows"] == 2' \
    "$tmp/sorted.json" || fail "inspect --json is not the expected JSON"
fi

# --where prunes row groups by their statistics and filters rows: the first row group is
# damaged, and a query that its statistics rule out still succeeds.
"$strata" parquet cat "$tmp/sorted.parquet" --where 'k>=8' >"$tmp/where.out"
expect_file "$tmp/where.out" "cat --where k>=8" <<'EOF'
k,city
8,city2
9,city0
10,city1
EOF
"$strata" parquet cat "$tmp/sorted.parquet" --where 'city = city1' --columns k >"$tmp/where2.out"
expect_file "$tmp/where2.out" "cat --where city=city1" <<'EOF'
k
1
4
7
10
EOF
offset=$(grep -m1 -oE '"data_page_offset": [0-9]+' "$tmp/sorted.json" | grep -oE '[0-9]+$')
cp "$tmp/sorted.parquet" "$tmp/damaged.parquet"
printf '\377\377\377\377\377\377\377\377' | dd of="$tmp/damaged.parquet" bs=1 seek="$offset" conv=notrunc status=none
expect_error "$tmp/damaged.parquet" "$strata" parquet cat "$tmp/damaged.parquet"
"$strata" parquet cat "$tmp/damaged.parquet" --where 'k>4' --columns k --limit 1 >"$tmp/where3.out" ||
  fail "--where did not skip the damaged row group"
expect_file "$tmp/where3.out" "cat --where k>4 on the damaged file" <<'EOF'
k
5
EOF
expect_error 'no column named "nope"' "$strata" parquet cat "$tmp/sorted.parquet" --where 'nope=1'
expect_error 'is not an integer (int64)' "$strata" parquet cat "$tmp/sorted.parquet" --where 'k<abc'

# --- Bad inputs: exit 1, a message naming the file.
expect_error "$tmp/absent.parquet" "$strata" parquet inspect "$tmp/absent.parquet"
expect_error "$tmp/absent.parquet" "$strata" parquet cat "$tmp/absent.parquet"
expect_error "$tmp/absent.csv" "$strata" parquet from-csv "$tmp/absent.csv" "$tmp/x.parquet"
expect_error "$tmp/people.csv: not a Parquet file" "$strata" parquet inspect "$tmp/people.csv"
expect_error "$tmp/people.csv: not a Parquet file" "$strata" parquet cat "$tmp/people.csv"
size=$(stat -c %s "$tmp/typed.parquet")
head -c $((size - 10)) "$tmp/typed.parquet" >"$tmp/truncated.parquet"
expect_error "$tmp/truncated.parquet" "$strata" parquet inspect "$tmp/truncated.parquet"
expect_error "$tmp/truncated.parquet" "$strata" parquet cat "$tmp/truncated.parquet"
printf 'id,age\n1,40\n2,forty\n' >"$tmp/bad.csv"
expect_error "$tmp/bad.csv: line 3, column 2 (age): \"forty\" is not an integer (int8)" \
  "$strata" parquet from-csv "$tmp/bad.csv" "$tmp/bad.parquet" --schema 'id:int64,age:int8'
[ ! -e "$tmp/bad.parquet" ] && [ ! -e "$tmp/bad.parquet.tmp" ] || fail "a failed from-csv left a file"
printf 'id,age\n1,300\n' >"$tmp/range.csv"
expect_error "$tmp/range.csv: line 2, column 2 (age): \"300\" is out of range for int8 (-128..127)" \
  "$strata" parquet from-csv "$tmp/range.csv" "$tmp/bad.parquet" --schema 'id:int64,age:int8'
printf 'a,b\n1,2\n3\n' >"$tmp/short.csv"
expect_error "$tmp/short.csv: line 3: 1 fields, expected 2" \
  "$strata" parquet from-csv "$tmp/short.csv" "$tmp/bad.parquet"
expect_error 'unknown type "int128"' \
  "$strata" parquet from-csv "$tmp/short.csv" "$tmp/bad.parquet" --schema 'a:int128,b:int8'
expect_error 'sort column nope' \
  "$strata" parquet from-csv "$tmp/people.csv" "$tmp/bad.parquet" --sort-by nope

# Usage errors are CLI11's: non-zero and not 1.
for args in "cat $tmp/people.parquet --format xml" "from-csv $tmp/people.csv $tmp/x.parquet --page-version 3" \
            "from-csv $tmp/people.csv $tmp/x.parquet --compression brotli" "inspect"; do
  rc=0
  "$strata" parquet $args >/dev/null 2>&1 || rc=$?
  [ "$rc" != 0 ] && [ "$rc" != 1 ] || fail "parquet $args exited $rc"
done
echo "parquet cli: ok"
