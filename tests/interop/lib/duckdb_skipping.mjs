// Proof that DuckDB skips row groups using Strata's statistics: in a copy of the sorted
// fixture file, every row group a filter does not need has its pages overwritten with
// garbage. A query with that filter must still return exactly the expected rows (DuckDB
// never read the garbage), while a query without it must fail (the garbage is real).
// The chunks' byte ranges come from DuckDB's own parquet_metadata().
import { copyFileSync, openSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { compareRows } from './canonical.mjs';
import { queryCanonical, queryObjects, sqlString } from './duckdb.mjs';

const kTwo63 = 1n << 63n;

// Filters on the sorted columns: id (int64 crossing zero), u (uint64 crossing 2^63, where
// a signed reading of the bounds would order them wrongly) and key (strings).
const kFilters = [
  { sql: 'id BETWEEN -300 AND -200', test: (r) => BigInt(r.id) >= -300n && BigInt(r.id) <= -200n },
  { sql: 'id >= 2400', test: (r) => BigInt(r.id) >= 2400n },
  {
    sql: `u BETWEEN ${kTwo63 - 100n}::UBIGINT AND ${kTwo63 + 100n}::UBIGINT`,
    test: (r) => BigInt(r.u) >= kTwo63 - 100n && BigInt(r.u) <= kTwo63 + 100n,
  },
  { sql: `u > ${kTwo63 + 1000n}::UBIGINT`, test: (r) => BigInt(r.u) > kTwo63 + 1000n },
  { sql: "key < 'key-000500'", test: (r) => r.key < 'key-000500' },
  { sql: "key = 'key-003999'", test: (r) => r.key === 'key-003999' },
];

function corrupt(file, start, length) {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(length, 0xa5), 0, length, start);
  } finally {
    closeSync(fd);
  }
}

export async function checkRowGroupSkipping(connection, file, scratch, checker) {
  const names = file.columns.map((c) => c.name);
  const kinds = file.columns.map((c) => (c.kind === 'float' ? 'float' : 'exact'));
  const asObject = (row) => Object.fromEntries(names.map((n, i) => [n, row[i]]));
  const chunks = await queryObjects(connection,
    'SELECT row_group_id, data_page_offset, dictionary_page_offset, total_compressed_size ' +
    `FROM parquet_metadata(${sqlString(file.path)})`);

  for (const [i, filter] of kFilters.entries()) {
    // Which row groups hold a matching row, from the expected rows.
    const needed = new Set();
    const expected = [];
    file.row_groups.forEach((rg, g) => {
      for (let r = rg.first_row; r < rg.first_row + rg.num_rows; r++) {
        if (filter.test(asObject(file.rows[r]))) {
          needed.add(g);
          expected.push(file.rows[r]);
        }
      }
    });
    const copy = path.join(scratch, `skip_${i}.parquet`);
    copyFileSync(file.path, copy);
    let corrupted = 0;
    for (const chunk of chunks) {
      if (needed.has(Number(chunk.row_group_id))) continue;
      const start = Math.min(Number(chunk.data_page_offset),
                             Number(chunk.dictionary_page_offset ?? chunk.data_page_offset));
      corrupt(copy, start, Number(chunk.total_compressed_size));
      corrupted++;
    }
    const what = `skipping: WHERE ${filter.sql}`;
    checker.ok(needed.size > 0 && needed.size < file.row_groups.length,
               `${what}: needs ${needed.size} of ${file.row_groups.length} row groups`);
    try {
      const got = await queryCanonical(connection,
        `SELECT * FROM read_parquet(${sqlString(copy)}) WHERE ${filter.sql}`);
      compareRows(checker, what, names, kinds, got.rows, expected);
    } catch (err) {
      checker.fail(`${what}: failed although the garbage is only in skipped row groups: ${err.message}`);
    }
    let unfilteredFailed = false;
    try {
      await queryCanonical(connection, `SELECT * FROM read_parquet(${sqlString(copy)})`);
    } catch {
      unfilteredFailed = true;
    }
    checker.ok(unfilteredFailed, `${what}: reading every row group of the corrupted copy succeeded`);
    checker.count('filters whose skipped row groups held garbage');
    checker.count('column chunks overwritten', corrupted);
  }
}
