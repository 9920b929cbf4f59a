// DuckDB's side of parquet_vs_duckdb.sh: load a Parquet file into an in-memory table (not
// timed), then time `COPY t TO ... (FORMAT parquet, COMPRESSION c)` once per codec with
// DuckDB's default settings (all cores). One JSON line per codec, like `strata bench parquet`.
//
//   node duckdb_write_parquet.mjs SOURCE.parquet OUT_DIR codec[,codec...]
import { createRequire } from 'node:module';
import { statSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

// The pinned DuckDB lives in tests/interop/node_modules (scripts/install-deps.sh).
const require = createRequire(resolve(import.meta.dirname, '../../tests/interop/package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const [source, outDir, codecList] = process.argv.slice(2);
if (!source || !outDir || !codecList) {
  console.error('usage: duckdb_write_parquet.mjs SOURCE.parquet OUT_DIR codec[,codec...]');
  process.exit(2);
}
// Strata's codec names to DuckDB's COMPRESSION values.
const duckdbCodec = { none: 'uncompressed', snappy: 'snappy', zstd: 'zstd', gzip: 'gzip', lz4: 'lz4_raw' };

const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
await db.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${source}')`);
const rows = Number((await (await db.runAndReadAll('SELECT count(*) AS n FROM t')).getRowObjects())[0].n);
const threads = (await (await db.runAndReadAll("SELECT current_setting('threads') AS n")).getRowObjects())[0].n;
for (const codec of codecList.split(',')) {
  const c = duckdbCodec[codec];
  if (!c) throw new Error(`unknown codec ${codec}`);
  const out = `${outDir}/duckdb-${codec}.parquet`;
  const start = performance.now();
  await db.run(`COPY t TO '${out}' (FORMAT parquet, COMPRESSION ${c})`);
  const seconds = (performance.now() - start) / 1000;
  const bytes = statSync(out).size;
  console.log(JSON.stringify({ bench: 'duckdb-parquet', codec, rows, seconds: +seconds.toFixed(3),
    rows_per_s: Math.round(rows / seconds), file_bytes: bytes, threads: Number(threads) }));
  rmSync(out);
}
