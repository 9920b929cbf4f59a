#!/usr/bin/env bash
# Strata's Parquet writer against DuckDB's, on the db-benchmark group-by table.
#
#   bench/compare/parquet_vs_duckdb.sh [--rows N] [--runs N] [--codecs zstd,snappy,none]
#
# `strata bench parquet` builds the table in memory and writes it once per codec (timed);
# it also writes the same rows, uncompressed, to a source file, which DuckDB (the npm
# @duckdb/node-api of tests/interop, default settings: every core) loads into an in-memory
# table before timing `COPY t TO ... (FORMAT parquet, COMPRESSION c)`. Both write the same
# rows to the same file system, alternately, in every run. Printed: per run, both JSON lines;
# then the medians, the write-throughput ratio (strata rows/s over DuckDB's, above 1: Strata
# faster), the file-size ratio (strata bytes over DuckDB's, below 1: Strata smaller), and
# Strata's full-read speed of its snappy file.
#
# Environment: STRATA (default build/release/strata), BENCH_DIR (default
# strata-data/bench-parquet-compare).
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/compare/lib.sh
rows=10000000
runs=3
codecs=zstd,snappy,none
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows=$2; shift ;;
    --runs) runs=$2; shift ;;
    --codecs) codecs=$2; shift ;;
    *) echo "usage: $0 [--rows N] [--runs N] [--codecs zstd,snappy,none]" >&2; exit 2 ;;
  esac
  shift
done
strata=${STRATA:-build/release/strata}
work=${BENCH_DIR:-strata-data/bench-parquet-compare}
[ -x "$strata" ] || { echo "build first: make build (or set STRATA)" >&2; exit 1; }
[ -d tests/interop/node_modules/@duckdb/node-api ] || { echo "run scripts/install-deps.sh" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
work=$(cd "$work" && pwd)

machine_line
echo "strata: $("$strata" --version); rows: $rows; runs: $runs; codecs: $codecs"

# The source rows for DuckDB (same seed as every timed run).
"$strata" bench parquet --rows "$rows" --codecs none --dir "$work" --source-out "$work/source.parquet" >/dev/null

results=$work/results.jsonl
: >"$results"
for ((i = 1; i <= runs; i++)); do
  echo "--- run $i of $runs"
  node bench/compare/duckdb_write_parquet.mjs "$work/source.parquet" "$work" "$codecs" | tee -a "$results"
  "$strata" bench parquet --rows "$rows" --codecs "$codecs" --dir "$work" --read | tee -a "$results"
done

node - "$results" "$codecs" <<'JS'
const fs = require('fs');
const [file, codecList] = process.argv.slice(2);
const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map(l => JSON.parse(l));
const median = xs => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
console.log('\n| codec | strata rows/s | duckdb rows/s | write ratio | strata bytes | duckdb bytes | size ratio | strata read MB/s (in-memory) | strata read MB/s (uncompressed pages) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const codec of codecList.split(',')) {
  const s = lines.filter(l => l.bench === 'parquet' && l.codec === codec);
  const d = lines.filter(l => l.bench === 'duckdb-parquet' && l.codec === codec);
  const sr = median(s.map(l => l.rows_per_s)), dr = median(d.map(l => l.rows_per_s));
  const sb = median(s.map(l => l.file_bytes)), db = median(d.map(l => l.file_bytes));
  const rm = median(s.map(l => l.read_mb_per_s)), ru = median(s.map(l => l.read_uncompressed_mb_per_s));
  console.log(`| ${codec} | ${Math.round(sr)} | ${Math.round(dr)} | ${(sr / dr).toFixed(2)} | ${sb} | ${db} | ${(sb / db).toFixed(3)} | ${rm.toFixed(0)} | ${ru.toFixed(0)} |`);
}
JS
