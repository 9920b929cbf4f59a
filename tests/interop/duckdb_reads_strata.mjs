// interop.duckdb_reads_strata: DuckDB reads every file Strata's writer produced for the
// fixture (parquet_fixture write) and must see exactly the generator's values and the
// metadata the fixture's manifest describes; it must skip row groups by Strata's statistics
// and agree with Strata's bloom filters.
//
//   node duckdb_reads_strata.mjs PARQUET_FIXTURE SCRATCH_DIR
import path from 'node:path';
import { Checker, runMain } from './lib/check.mjs';
import { compareRows } from './lib/canonical.mjs';
import { openDuckDB, queryCanonical, sqlIdent, sqlString } from './lib/duckdb.mjs';
import { checkBloomFilters } from './lib/duckdb_bloom.mjs';
import { asDuckDBShows, duckdbDecodes, duckdbType, limitations } from './lib/duckdb_expect.mjs';
import { checkChunkMetadata, checkFileMetadata, checkSchema } from './lib/duckdb_metadata_checks.mjs';
import { checkRowGroupSkipping } from './lib/duckdb_skipping.mjs';
import { writeFixtures } from './lib/fixture.mjs';

const kName = 'interop.duckdb_reads_strata';

// SELECT the columns DuckDB can decode; compare with the expected rows as DuckDB shows them.
async function checkValues(connection, file, checker) {
  const indexes = file.columns.map((_, i) => i).filter((i) => duckdbDecodes(file, i));
  if (indexes.length < file.columns.length) checker.note(limitations.bssNonFloat);
  const columns = indexes.map((i) => file.columns[i]);
  if (columns.some((c) => c.kind === 'timestamp' && c.logical_type.unit === 'NANOS')) {
    checker.note(limitations.timestampNanosUtc);
  }
  const got = await queryCanonical(connection,
    `SELECT ${columns.map((c) => sqlIdent(c.name)).join(', ')} ` +
    `FROM read_parquet(${sqlString(file.path)})`);
  columns.forEach((c, k) => {
    checker.equal(got.typeNames[k], duckdbType(c), `${file.name}: DuckDB type of ${c.name}`);
  });
  const expected = file.rows.map((row) => indexes.map((i) => asDuckDBShows(file.columns[i], row[i])));
  compareRows(checker, file.name, columns.map((c) => c.name),
              columns.map((c) => (c.kind === 'float' ? 'float' : 'exact')), got.rows, expected);
  checker.count('columns left out (BYTE_STREAM_SPLIT on non-float types)',
                file.columns.length - columns.length);
}

await runMain(kName, async () => {
  const [fixtureBin, scratch] = process.argv.slice(2);
  if (!fixtureBin || !scratch) throw new Error('usage: duckdb_reads_strata.mjs PARQUET_FIXTURE SCRATCH');
  const checker = new Checker(kName);
  const manifest = writeFixtures(fixtureBin, path.join(scratch, 'fixtures'));
  const connection = await openDuckDB();

  for (const file of manifest.files) {
    await checkValues(connection, file, checker);
    await checkSchema(connection, file, checker);
    await checkFileMetadata(connection, file, manifest.created_by, checker);
    await checkChunkMetadata(connection, file, checker);
    checker.count('files');
  }
  const byName = (name) => manifest.files.find((f) => f.name === name);
  await checkRowGroupSkipping(connection, byName('skip_sorted'), scratch, checker);
  await checkBloomFilters(connection, byName('bloom'), checker);
  checker.finish();
});
