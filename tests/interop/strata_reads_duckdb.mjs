// interop.strata_reads_duckdb: DuckDB writes Parquet files (COPY ... TO, every codec, data
// page v1 and v2, dictionary and delta encodings, nulls, every type Strata reads), and
// Strata's reader (parquet_fixture read) must return exactly what DuckDB itself reads back
// from the same file. Expected values come from DuckDB, never from Strata.
//
//   node strata_reads_duckdb.mjs PARQUET_FIXTURE SCRATCH_DIR
import path from 'node:path';
import { Checker, runMain } from './lib/check.mjs';
import { compareRows } from './lib/canonical.mjs';
import { openDuckDB, queryCanonical, queryObjects, sqlString } from './lib/duckdb.mjs';
import { strataRead } from './lib/fixture.mjs';

const kName = 'interop.strata_reads_duckdb';
const kRows = 5000;

// One table with every type, edge values and nulls. hash(i) gives well-spread, repeatable
// values; the `% n WHEN k` arms put extremes and special floats in every row group.
const kSourceTable = `
CREATE TABLE src AS SELECT
  i::BIGINT AS id,
  CASE WHEN i % 7 = 3 THEN NULL ELSE i % 3 = 0 END AS b,
  CASE WHEN i % 11 = 5 THEN NULL ELSE ((i * 37) % 256 - 128)::TINYINT END AS i8,
  ((i * 13) % 256)::UTINYINT AS u8,
  ((i * 7919) % 65536 - 32768)::SMALLINT AS i16,
  ((i * 104729) % 65536)::USMALLINT AS u16,
  (CASE i % 101 WHEN 0 THEN -2147483648 WHEN 1 THEN 2147483647
     ELSE (hash(i) % 4294967296)::BIGINT - 2147483648 END)::INTEGER AS i32,
  (CASE i % 103 WHEN 0 THEN 4294967295 ELSE hash(i) % 4294967296 END)::UINTEGER AS u32,
  (CASE i % 97 WHEN 0 THEN -9223372036854775808 WHEN 1 THEN 9223372036854775807
     WHEN 2 THEN NULL ELSE (hash(i) >> 1)::BIGINT - 4611686018427387904 END)::BIGINT AS i64,
  (CASE i % 89 WHEN 0 THEN 18446744073709551615 WHEN 1 THEN 9223372036854775808
     ELSE hash(i * 3) END)::UBIGINT AS u64,
  CASE i % 13 WHEN 0 THEN 'nan'::FLOAT WHEN 1 THEN 'inf'::FLOAT WHEN 2 THEN '-inf'::FLOAT
     WHEN 3 THEN '-0.0'::FLOAT WHEN 4 THEN NULL ELSE (i / 7.0 - 300)::FLOAT END AS f32,
  CASE i % 17 WHEN 0 THEN 'nan'::DOUBLE WHEN 1 THEN '-inf'::DOUBLE WHEN 2 THEN '-0.0'::DOUBLE
     WHEN 3 THEN 1.7976931348623157e308 WHEN 4 THEN 5e-324 WHEN 5 THEN NULL
     ELSE (hash(i) % 1000000007)::DOUBLE / 3.0 - 1e8 END AS f64,
  CASE WHEN i % 9 = 0 THEN NULL ELSE 'str-' || (hash(i) % 100000)::VARCHAR ||
     (['', ' é', ' 日本', ' 😀', ' "q"', ' tab	x'])[i % 6 + 1] END AS s,
  (['alpha', 'beta', 'gamma', '日本語', '😀', ''])[i % 6 + 1] AS s_dict,
  CASE WHEN i % 10 = 0 THEN NULL ELSE from_hex(lpad(to_hex(hash(i) % 1099511627776), 10, '0')) END AS bin,
  CASE WHEN i % 12 = 0 THEN NULL ELSE md5(i::VARCHAR)::UUID END AS uuid,
  CASE WHEN i % 8 = 0 THEN NULL ELSE DATE '1970-01-01' + ((hash(i) % 3000000)::INTEGER - 700000) END AS d,
  make_timestamp(((hash(i) % 400000000000000000)::BIGINT - 62000000000000000)) AS ts,
  CASE WHEN i % 5 = 0 THEN NULL
     ELSE make_timestamp(((hash(i * 7) % 400000000000000000)::BIGINT - 62000000000000000))::TIMESTAMPTZ END AS tstz,
  make_timestamp(((hash(i * 11) % 400000000000000000)::BIGINT - 62000000000000000))::TIMESTAMP_MS AS ts_ms,
  make_timestamp_ns(((hash(i * 13) % 9000000000000000000)::BIGINT - 4500000000000000000)) AS ts_ns,
  make_timestamp(((hash(i * 17) % 400000000000000000)::BIGINT - 62000000000000000))::TIMESTAMP_S AS ts_s
FROM range(${kRows}) t(i)`;

// Strata's type name (Schema::TypeName, without the '?' of OPTIONAL) for a DuckDB type.
const kStrataTypeFor = {
  BOOLEAN: 'bool', TINYINT: 'int8', SMALLINT: 'int16', INTEGER: 'int32', BIGINT: 'int64',
  UTINYINT: 'uint8', USMALLINT: 'uint16', UINTEGER: 'uint32', UBIGINT: 'uint64',
  FLOAT: 'float', DOUBLE: 'double', VARCHAR: 'string', BLOB: 'binary', DATE: 'date',
  UUID: 'fixed[16]',
};

function strataTypeMatches(strataType, duckdbType) {
  const bare = strataType.replace(/\?$/, '');
  if (duckdbType.startsWith('TIMESTAMP')) return /^timestamp_(ms|us|ns)$/.test(bare);
  return kStrataTypeFor[duckdbType] === bare;
}

function writeOptions() {
  const files = [];
  for (const codec of ['uncompressed', 'snappy', 'gzip', 'zstd', 'lz4']) {
    for (const version of ['V1', 'V2']) {
      files.push({
        name: `duckdb_${codec}_${version.toLowerCase()}`,
        options: `FORMAT parquet, COMPRESSION ${codec}, PARQUET_VERSION ${version}, ROW_GROUP_SIZE 2048`,
      });
    }
  }
  return files;
}

await runMain(kName, async () => {
  const [fixtureBin, scratch] = process.argv.slice(2);
  if (!fixtureBin || !scratch) throw new Error('usage: strata_reads_duckdb.mjs PARQUET_FIXTURE SCRATCH');
  const checker = new Checker(kName);
  const connection = await openDuckDB();
  await connection.run(kSourceTable);

  const encodingsSeen = new Set();
  const codecsSeen = new Set();
  for (const file of writeOptions()) {
    const target = path.join(scratch, `${file.name}.parquet`);
    await connection.run(`COPY (SELECT * FROM src ORDER BY id) TO ${sqlString(target)} (${file.options})`);

    // DuckDB's reading of its own file is the expectation.
    const expected = await queryCanonical(connection, `SELECT * FROM read_parquet(${sqlString(target)})`);
    let strata;
    try {
      strata = strataRead(fixtureBin, target);
    } catch (err) {
      checker.fail(`${file.name}: Strata cannot read it: ${err.stderr || err.message}`);
      continue;
    }
    checker.equal(strata.num_rows, kRows, `${file.name}: Strata's row count`);
    checker.equal(JSON.stringify(strata.columns.map((c) => c.name)), JSON.stringify(expected.names),
                  `${file.name}: column names`);
    strata.columns.forEach((c, i) => {
      checker.ok(strataTypeMatches(c.type, expected.typeNames[i]),
                 `${file.name}: column ${c.name} is ${c.type} in Strata, ${expected.typeNames[i]} in DuckDB`);
    });
    compareRows(checker, file.name, expected.names, expected.kinds, strata.rows, expected.rows);

    const chunks = await queryObjects(connection,
      `SELECT DISTINCT compression, encodings FROM parquet_metadata(${sqlString(target)})`);
    for (const chunk of chunks) {
      codecsSeen.add(chunk.compression);
      for (const e of chunk.encodings.split(', ')) encodingsSeen.add(e);
    }
    checker.count('DuckDB-written files');
  }

  // The files must have exercised what this test is for: every codec, a dictionary, and
  // the delta encodings (DuckDB uses them with PARQUET_VERSION V2).
  console.log(`  codecs: ${[...codecsSeen].sort().join(', ')}`);
  console.log(`  encodings: ${[...encodingsSeen].sort().join(', ')}`);
  for (const codec of ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'ZSTD', 'LZ4_RAW']) {
    checker.ok(codecsSeen.has(codec), `no DuckDB file used codec ${codec}`);
  }
  checker.ok(encodingsSeen.has('RLE_DICTIONARY') || encodingsSeen.has('PLAIN_DICTIONARY'),
             'no DuckDB file used dictionary encoding');
  checker.ok(encodingsSeen.has('DELTA_BINARY_PACKED'), 'no DuckDB file used DELTA_BINARY_PACKED');
  checker.ok(encodingsSeen.has('DELTA_LENGTH_BYTE_ARRAY') || encodingsSeen.has('DELTA_BYTE_ARRAY'),
             'no DuckDB file used DELTA_LENGTH_BYTE_ARRAY or DELTA_BYTE_ARRAY');
  checker.finish();
});
