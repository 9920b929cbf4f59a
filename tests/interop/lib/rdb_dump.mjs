// `strata rdb dump` as the RDB interop tests run and check it: the command, its batch
// layout on disk, and its Parquet files as DuckDB (and, for sorting_columns, hyparquet)
// reads them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { queryCanonical, queryObjects, sqlString } from './duckdb.mjs';
import { kServerFields } from './redis_expect.mjs';

export const limitations = {
  timestampNanosUtc:
    'DuckDB reads the batch column, TIMESTAMP(NANOS, UTC), as TIMESTAMPTZ in microseconds ' +
    '(truncated): batch times are compared at that precision',
  hivePartitioning:
    'DuckDB takes columns named like the cluster=/batch= directories from the path by ' +
    'default (hive_partitioning auto-detection), hiding the file\'s own cluster and batch ' +
    'columns; files are read with hive_partitioning=false',
  sortingColumns:
    'DuckDB 1.5\'s parquet_metadata() has no sorting_columns; they are read from the footer ' +
    'with hyparquet\'s parquetMetadata()',
};

// The dump's columns: name, DuckDB type, and parquet_schema() physical type, repetition and
// logical type.
const kInt = (bits) => `IntType(bitWidth=${String.fromCharCode(bits)}, isSigned=0)`;
const kTimestamp = (unit) => 'TimestampType(isAdjustedToUTC=1, unit=TimeUnit(' +
  ['MILLIS', 'MICROS', 'NANOS'].map((u) => `${u}=${u === unit
    ? { MILLIS: 'MilliSeconds()', MICROS: 'MicroSeconds()', NANOS: 'NanoSeconds()' }[u]
    : '<null>'}`).join(', ') + '))';
export const kColumns = [
  ['cluster', 'VARCHAR', 'BYTE_ARRAY', 'REQUIRED', 'StringType()'],
  ['batch', 'TIMESTAMP WITH TIME ZONE', 'INT64', 'REQUIRED', kTimestamp('NANOS')],
  ['instance', 'VARCHAR', 'BYTE_ARRAY', 'REQUIRED', 'StringType()'],
  ['db', 'UBIGINT', 'INT64', 'REQUIRED', kInt(64)],
  ['key', 'BLOB', 'BYTE_ARRAY', 'REQUIRED', null],
  ['type', 'VARCHAR', 'BYTE_ARRAY', 'REQUIRED', 'StringType()'],
  ['member_count', 'UBIGINT', 'INT64', 'REQUIRED', kInt(64)],
  ['rdb_size', 'UBIGINT', 'INT64', 'REQUIRED', kInt(64)],
  ['encoding', 'VARCHAR', 'BYTE_ARRAY', 'REQUIRED', 'StringType()'],
  ['expire_at', 'TIMESTAMP WITH TIME ZONE', 'INT64', 'OPTIONAL', kTimestamp('MILLIS')],
  ['idle_seconds', 'UBIGINT', 'INT64', 'OPTIONAL', kInt(64)],
  ['freq', 'UTINYINT', 'INT32', 'OPTIONAL', kInt(8)],
  ['codis_slot', 'USMALLINT', 'INT32', 'OPTIONAL', kInt(16)],
  ['redis_slot', 'USMALLINT', 'INT32', 'OPTIONAL', kInt(16)],
  // Added by the analysis issue: the key's estimated bytes in Redis memory (docs/rdb-memory.md).
  ['memory_estimate', 'UBIGINT', 'INT64', 'REQUIRED', kInt(64)],
].map(([name, duckdb, physical, repetition, logical]) => ({
  name, duckdb, physical, repetition, logical,
}));

// --- running strata.

// Runs `strata rdb dump args...`; returns { status, stdout, stderr, seconds }.
export function runDump(strata, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(strata, ['rdb', 'dump', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, seconds };
}

// Like runDump, but throws with strata's output unless it exits 0.
export function dumpOk(strata, args) {
  const r = runDump(strata, args);
  if (r.status !== 0) {
    throw new Error(`strata rdb dump ${args.join(' ')}: exit ${r.status}\n${r.stderr}${r.stdout}`);
  }
  return r;
}

// The number of sorted runs the dump's log reports (one "run <file>: N rows" line each).
export function runsLogged(stderr) {
  return stderr.split('\n').filter((l) => /\] run .*\.parquet: \d+ rows/.test(l)).length;
}

// --- the layout.

// The batch id of a time in nanoseconds: YYYY-MM-DD_HH-mm-ss.SSSZ (UTC, milliseconds).
export function batchId(ns) {
  const ms = Number(BigInt(ns) / 1000000n);
  const d = new Date(ms);
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}_` +
         `${p(d.getUTCHours())}-${p(d.getUTCMinutes())}-${p(d.getUTCSeconds())}.` +
         `${p(d.getUTCMilliseconds(), 3)}Z`;
}

// Nanoseconds since the epoch of an RFC 3339 UTC time with up to nine fraction digits.
export function rfc3339Nanos(textUtc) {
  const m = textUtc.match(/^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/);
  if (!m) throw new Error(`not a UTC RFC 3339 time: ${textUtc}`);
  const seconds = BigInt(Date.parse(`${m[1]}Z`) / 1000);
  return seconds * 1000000000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

// Lists dir recursively: relative paths of every file and directory, sorted.
export function listTree(dir) {
  const out = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      out.push(entry.isDirectory() ? `${child}/` : child);
      if (entry.isDirectory()) walk(child);
    }
  };
  walk('');
  return out.sort();
}

// The lake dir holds exactly cluster=<clusterDir>/batch=<batch>/<file> for the given files and
// the batch's _SUCCESS manifest: no _tmp_batch= directory and no run file left behind. Returns
// the files' paths.
export function checkLayout(checker, what, dir, clusterDir, batch, files) {
  const expected = [`cluster=${clusterDir}/`, `cluster=${clusterDir}/batch=${batch}/`,
                    `cluster=${clusterDir}/batch=${batch}/_SUCCESS`,
                    ...files.map((f) => `cluster=${clusterDir}/batch=${batch}/${f}`)].sort();
  const actual = listTree(dir);
  checker.equal(JSON.stringify(actual), JSON.stringify(expected), `${what}: files under ${dir}`);
  checker.ok(!actual.some((p) => p.includes('_tmp_batch=')), `${what}: a _tmp_batch= is left`);
  checker.count('layouts checked');
  return files.map((f) => path.join(dir, `cluster=${clusterDir}`, `batch=${batch}`, f));
}

// --- reading a dump file.

// The rows of a dump file in file order, as DuckDB reads them with SELECT *: objects with
// the columns as numbers (db, counts, sizes, slots), Buffers (key), strings, null, and
// expire_at in milliseconds and batch in nanoseconds (microsecond precision). Also checks
// the column names and DuckDB types.
export async function readDumpFile(connection, file, checker) {
  const got = await queryCanonical(connection,
    `SELECT * FROM read_parquet(${sqlString(file)}, hive_partitioning = false, ` +
    'file_row_number = true) ORDER BY file_row_number');
  checker.note(limitations.hivePartitioning);
  checker.note(limitations.timestampNanosUtc);
  const names = got.names.slice(0, -1); // file_row_number last
  checker.equal(JSON.stringify(names), JSON.stringify(kColumns.map((c) => c.name)),
                `${file}: columns`);
  kColumns.forEach((c, i) => {
    checker.equal(got.typeNames[i], c.duckdb, `${file}: type of ${c.name}`);
  });
  const num = (v) => (v === null ? null : Number(v));
  return got.rows.map((r) => {
    const row = Object.fromEntries(names.map((n, i) => [n, r[i]]));
    return {
      cluster: row.cluster,
      batch: row.batch, // ns as text
      instance: row.instance,
      db: num(row.db),
      key: Buffer.from(row.key, 'hex'),
      type: row.type,
      member_count: num(row.member_count),
      rdb_size: num(row.rdb_size),
      encoding: row.encoding,
      expire_at: row.expire_at === null ? null : Number(BigInt(row.expire_at) / 1000000n),
      idle_seconds: num(row.idle_seconds),
      freq: num(row.freq),
      codis_slot: num(row.codis_slot),
      redis_slot: num(row.redis_slot),
      memory_estimate: num(row.memory_estimate),
    };
  });
}

// parquet_schema(), parquet_metadata() (every chunk ZSTD) and the footer's sorting_columns
// ((db, key) ascending in every row group, read with hyparquet).
export async function checkFileMetadata(connection, file, checker) {
  const schema = await queryObjects(connection, `SELECT * FROM parquet_schema(${sqlString(file)})`);
  checker.equal(schema.length, kColumns.length + 1, `${file}: schema elements`);
  kColumns.forEach((c, i) => {
    const row = schema[i + 1] ?? {};
    checker.equal(row.name, c.name, `${file}: schema name ${i}`);
    checker.equal(row.type, c.physical, `${file}: physical type of ${c.name}`);
    checker.equal(row.repetition_type, c.repetition, `${file}: repetition of ${c.name}`);
    checker.equal(row.logical_type, c.logical, `${file}: logical type of ${c.name}`);
  });
  const chunks = await queryObjects(connection,
    `SELECT row_group_id, path_in_schema, compression FROM parquet_metadata(${sqlString(file)})`);
  checker.ok(chunks.length >= kColumns.length, `${file}: ${chunks.length} column chunks`);
  for (const chunk of chunks) {
    checker.equal(chunk.compression, 'ZSTD',
                  `${file}: codec of row group ${chunk.row_group_id} ${chunk.path_in_schema}`);
  }
  checker.count('column chunks checked for ZSTD', chunks.length);

  checker.note(limitations.sortingColumns);
  const bytes = fs.readFileSync(file);
  const meta = parquetMetadata(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const db = kColumns.findIndex((c) => c.name === 'db');
  const key = kColumns.findIndex((c) => c.name === 'key');
  meta.row_groups.forEach((rg, g) => {
    const sorting = (rg.sorting_columns ?? []).map((s) => `${s.column_idx}:${s.descending}`);
    checker.equal(sorting.join(','), `${db}:false,${key}:false`,
                  `${file}: row group ${g} sorting_columns`);
  });
  checker.count('row groups checked for sorting_columns', meta.row_groups.length);
}

// Rows strictly increasing by (db, key as unsigned bytes): sorted, and no key twice.
export function checkSorted(checker, what, rows) {
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    const order = a.db !== b.db ? Math.sign(a.db - b.db) : Buffer.compare(a.key, b.key);
    if (order >= 0) {
      checker.fail(`${what}: row ${i} (db ${b.db}, key ${b.key.toString('hex')}) is not after ` +
                   `row ${i - 1} (db ${a.db}, key ${a.key.toString('hex')})`);
      return;
    }
  }
  checker.count('rows checked for order', rows.length);
}

// A row's identity in messages and maps: db and key bytes.
export function rowId(row) {
  return `${row.db}/${row.key.toString('hex')}`;
}

function show(v) {
  return Buffer.isBuffer(v) ? `0x${v.toString('hex')}` : JSON.stringify(v);
}

// The file's rows against the server's rows: the same (db, key) set, and every field of
// kServerFields equal. extra(row) adds expected values of further columns (slots).
export function compareWithServer(checker, what, rows, expected, extra = () => ({})) {
  const byId = new Map(rows.map((r) => [rowId(r), r]));
  const wanted = new Set(expected.map(rowId));
  for (const r of rows) {
    if (!wanted.has(rowId(r))) checker.fail(`${what}: row for a key the server lacks: ${rowId(r)}`);
  }
  for (const e of expected) {
    const r = byId.get(rowId(e));
    if (!r) {
      checker.fail(`${what}: no row for db ${e.db} key 0x${e.key.toString('hex')} (${e.type})`);
      continue;
    }
    const want = { ...e, ...extra(e) };
    for (const field of [...kServerFields, ...Object.keys(extra(e))]) {
      const a = r[field];
      const b = want[field];
      const same = Buffer.isBuffer(b) ? Buffer.isBuffer(a) && a.equals(b) : a === b;
      checker.count('values compared with the server');
      if (!same) {
        checker.fail(`${what}: db ${e.db} key 0x${e.key.toString('hex')} (${e.type}, OBJECT ` +
                     `ENCODING ${e.objectEncoding}): ${field} ${show(a)}, expected ${show(b)}`);
      }
    }
  }
  checker.count('keys compared with the server', expected.length);
}
