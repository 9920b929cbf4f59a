// DuckDB's metadata table functions on a Strata fixture file, against the fixture manifest:
// parquet_schema(), parquet_file_metadata(), parquet_kv_metadata() and parquet_metadata()
// (codec, encodings, exact statistics, null counts, dictionary pages, bloom filters).
import { sameValue } from './canonical.mjs';
import { queryCanonical, queryObjects, sqlString } from './duckdb.mjs';
import {
  asDuckDBShows, duckdbLogicalTypeText, duckdbType, limitations,
} from './duckdb_expect.mjs';

export async function checkSchema(connection, file, checker) {
  const rows = await queryObjects(connection,
    `SELECT * FROM parquet_schema(${sqlString(file.path)})`);
  // The root first, then one leaf per column.
  checker.equal(rows.length, file.columns.length + 1, `${file.name}: schema elements`);
  checker.equal(rows[0]?.num_children, String(file.columns.length), `${file.name}: root children`);
  file.columns.forEach((column, i) => {
    const row = rows[i + 1] ?? {};
    const what = `${file.name}: schema of ${column.name}`;
    checker.equal(row.name, column.name, `${what}: name`);
    checker.equal(row.type, column.physical, `${what}: physical type`);
    checker.equal(row.type_length, column.type_length === null ? null : String(column.type_length),
                  `${what}: type_length`);
    checker.equal(row.repetition_type, column.repetition, `${what}: repetition`);
    checker.equal(row.converted_type, column.converted_type, `${what}: converted type`);
    checker.equal(row.logical_type, duckdbLogicalTypeText(column.logical_type),
                  `${what}: logical type`);
    checker.equal(row.duckdb_type, duckdbType(column), `${what}: DuckDB type`);
  });
  checker.note(limitations.intTypeRendering);
}

export async function checkFileMetadata(connection, file, createdBy, checker) {
  const [meta] = await queryObjects(connection,
    `SELECT * FROM parquet_file_metadata(${sqlString(file.path)})`);
  checker.equal(meta.created_by, createdBy, `${file.name}: created_by`);
  checker.equal(meta.num_rows, String(file.num_rows), `${file.name}: num_rows`);
  checker.equal(meta.num_row_groups, String(file.row_groups.length), `${file.name}: row groups`);
  checker.equal(meta.column_orders?.length, file.columns.length, `${file.name}: column orders`);
  for (const order of meta.column_orders ?? []) {
    checker.equal(order, 'ColumnOrder(TYPE_ORDER=TypeDefinedOrder())', `${file.name}: column order`);
  }

  const kv = await connection.runAndReadAll(
    `SELECT key, value FROM parquet_kv_metadata(${sqlString(file.path)})`);
  const decode = (blob) => (blob === null ? null : Buffer.from(blob.bytes).toString('utf8'));
  const actual = kv.getRows().map(([k, v]) => `${decode(k)}=${decode(v)}`);
  // A key without a value reads as an empty value in DuckDB.
  const expected = file.key_value_metadata.map((e) => `${e.key}=${e.value ?? ''}`);
  checker.equal(JSON.stringify(actual), JSON.stringify(expected), `${file.name}: key/value metadata`);
  if (file.key_value_metadata.some((e) => e.value === null)) checker.note(limitations.kvNoValue);
}

// Per row group and column: parquet_metadata() against the manifest. Bounds are compared
// as values: DuckDB renders them as text in the column's type, which is cast back here.
export async function checkChunkMetadata(connection, file, checker) {
  const rows = await queryObjects(connection,
    `SELECT * FROM parquet_metadata(${sqlString(file.path)}) ORDER BY row_group_id, column_id`);
  checker.equal(rows.length, file.row_groups.length * file.columns.length,
                `${file.name}: column chunks`);
  for (const row of rows) {
    const rg = Number(row.row_group_id);
    const c = Number(row.column_id);
    const column = file.columns[c];
    const expected = file.row_groups[rg]?.columns[c];
    if (!column || !expected) {
      checker.fail(`${file.name}: unexpected chunk ${rg}/${c}`);
      continue;
    }
    const what = `${file.name}: row group ${rg} column ${column.name}`;
    checker.equal(row.row_group_num_rows, String(file.row_groups[rg].num_rows), `${what}: rows`);
    checker.equal(row.num_values, String(file.row_groups[rg].num_rows), `${what}: num_values`);
    checker.equal(row.path_in_schema, column.name, `${what}: path`);
    checker.equal(row.type, column.physical, `${what}: type`);
    checker.equal(row.compression, file.codec, `${what}: codec`);
    checker.equal(row.encodings.split(', ').sort().join(','), [...expected.encodings].sort().join(','),
                  `${what}: encodings`);
    checker.equal(row.stats_null_count, String(expected.null_count), `${what}: null_count`);
    checker.equal(row.dictionary_page_offset !== null, expected.dictionary,
                  `${what}: has a dictionary page`);
    checker.equal(row.bloom_filter_offset !== null, column.bloom_filter, `${what}: has a bloom filter`);
    checker.equal(row.bloom_filter_length !== null, column.bloom_filter,
                  `${what}: bloom filter length`);
    if (expected.min !== null) {
      checker.equal(row.min_is_exact, expected.min_exact, `${what}: min_is_exact`);
      checker.equal(row.max_is_exact, expected.max_exact, `${what}: max_is_exact`);
    }
  }
  await checkBounds(connection, file, checker);
}

async function checkBounds(connection, file, checker) {
  for (const [c, column] of file.columns.entries()) {
    const type = duckdbType(column);
    const bounds = await queryCanonical(connection,
      `SELECT CAST(stats_min_value AS ${type}) AS lo, CAST(stats_max_value AS ${type}) AS hi ` +
      `FROM parquet_metadata(${sqlString(file.path)}) WHERE column_id = ${c} ` +
      'ORDER BY row_group_id');
    bounds.rows.forEach(([lo, hi], rg) => {
      const expected = file.row_groups[rg].columns[c];
      const what = `${file.name}: row group ${rg} column ${column.name}`;
      checker.count('statistics bounds compared', 2);
      for (const [got, want, name] of [[lo, expected.min, 'min'], [hi, expected.max, 'max']]) {
        let shown = asDuckDBShows(column, want);
        if (column.kind === 'float' && (want === 'Infinity' || want === '-Infinity')) {
          checker.note(limitations.infiniteFloatStats);
          shown = null;
        }
        if (!sameValue(column.kind, got, shown)) {
          checker.fail(`${what}: ${name} ${JSON.stringify(got)}, expected ${JSON.stringify(shown)}`);
        }
      }
    });
  }
}
