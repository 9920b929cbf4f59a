// interop.hyparquet_reads_strata: hyparquet, a pure JavaScript Parquet reader written
// independently of DuckDB and of Strata, reads the fixture files Strata's writer produced.
// Values must equal the generator's; the footer (schema, statistics with their exact
// bounds, key/value metadata, sorting columns), the page index, page CRCs and bloom
// filters must be what the fixture's manifest describes.
//
//   node hyparquet_reads_strata.mjs PARQUET_FIXTURE SCRATCH_DIR
import path from 'node:path';
import { Checker, runMain } from './lib/check.mjs';
import { compareRows, sameValue } from './lib/canonical.mjs';
import { writeFixtures } from './lib/fixture.mjs';
import { checkBloomFilters } from './lib/hyparquet_bloom.mjs';
import { checkPageCrcs, checkPageIndex } from './lib/hyparquet_pages.mjs';
import { kValueCodecs, loadFile, metadataOf, readRows, toCanonical } from './lib/hyparquet_read.mjs';

const kName = 'interop.hyparquet_reads_strata';

// hyparquet's form of a manifest logical type.
function logicalType(logical) {
  if (!logical) return undefined;
  switch (logical.type) {
    case 'INTEGER':
      return { type: 'INTEGER', bitWidth: logical.bit_width, isSigned: logical.is_signed };
    case 'TIMESTAMP':
      return { type: 'TIMESTAMP', isAdjustedToUTC: logical.is_adjusted_to_utc, unit: logical.unit };
    default:
      return { type: logical.type };
  }
}

function checkFooter(metadata, file, createdBy, checker) {
  checker.equal(metadata.created_by, createdBy, `${file.name}: created_by`);
  checker.equal(Number(metadata.num_rows), file.num_rows, `${file.name}: num_rows`);
  // Keys without a value stay without one (undefined here, null in the manifest).
  const kv = (metadata.key_value_metadata ?? []).map((e) => ({ key: e.key, value: e.value ?? null }));
  checker.equal(JSON.stringify(kv), JSON.stringify(file.key_value_metadata), `${file.name}: key/value metadata`);

  const leaves = metadata.schema.slice(1);
  checker.equal(leaves.length, file.columns.length, `${file.name}: columns`);
  file.columns.forEach((column, c) => {
    const e = leaves[c] ?? {};
    const what = `${file.name}: schema of ${column.name}`;
    checker.equal(e.name, column.name, `${what}: name`);
    checker.equal(e.type, column.physical, `${what}: type`);
    checker.equal(e.type_length ?? null, column.type_length, `${what}: type_length`);
    checker.equal(e.repetition_type, column.repetition, `${what}: repetition`);
    checker.equal(e.converted_type ?? null, column.converted_type, `${what}: converted type`);
    checker.equal(JSON.stringify(e.logical_type), JSON.stringify(logicalType(column.logical_type)),
                  `${what}: logical type`);
  });

  checker.equal(metadata.row_groups.length, file.row_groups.length, `${file.name}: row groups`);
  metadata.row_groups.forEach((rg, g) => {
    const expected = file.row_groups[g];
    if (!expected) return;
    checker.equal(Number(rg.num_rows), expected.num_rows, `${file.name}: rows of row group ${g}`);
    checker.equal(JSON.stringify(rg.sorting_columns ?? []), JSON.stringify(file.sorting_columns),
                  `${file.name}: sorting columns of row group ${g}`);
    rg.columns.forEach((chunk, c) => checkChunk(chunk.meta_data, file, g, c, checker));
  });
}

function checkChunk(meta, file, g, c, checker) {
  const column = file.columns[c];
  const expected = file.row_groups[g].columns[c];
  const what = `${file.name}: row group ${g} column ${column.name}`;
  checker.equal(meta.codec, file.codec, `${what}: codec`);
  checker.equal([...meta.encodings].sort().join(','), [...expected.encodings].sort().join(','),
                `${what}: encodings`);
  checker.equal(Number(meta.num_values), file.row_groups[g].num_rows, `${what}: num_values`);
  checker.equal(meta.dictionary_page_offset !== undefined, expected.dictionary, `${what}: dictionary page`);
  const stats = meta.statistics ?? {};
  checker.equal(Number(stats.null_count), expected.null_count, `${what}: null_count`);
  // Strata writes the min_value/max_value pair only, never the deprecated min/max.
  checker.ok(stats.min === undefined && stats.max === undefined, `${what}: deprecated min/max written`);
  // String bounds arrive as hex (see kMetadataParsers).
  const asHex = (v) => (v !== null && column.kind === 'string' ? Buffer.from(v, 'utf8').toString('hex') : v);
  for (const [got, want, name] of [[stats.min_value, expected.min, 'min'], [stats.max_value, expected.max, 'max']]) {
    const value = toCanonical(got, column.kind);
    checker.count('statistics bounds compared');
    if (!sameValue(column.kind, value, asHex(want))) {
      checker.fail(`${what}: ${name} ${JSON.stringify(value)}, expected ${JSON.stringify(asHex(want))}`);
    }
  }
  if (expected.min !== null) {
    checker.equal(stats.is_min_value_exact, expected.min_exact, `${what}: min exact`);
    checker.equal(stats.is_max_value_exact, expected.max_exact, `${what}: max exact`);
  }
}

await runMain(kName, async () => {
  const [fixtureBin, scratch] = process.argv.slice(2);
  if (!fixtureBin || !scratch) throw new Error('usage: hyparquet_reads_strata.mjs PARQUET_FIXTURE SCRATCH');
  const checker = new Checker(kName);
  const manifest = writeFixtures(fixtureBin, path.join(scratch, 'fixtures'));
  const skipped = [];
  for (const file of manifest.files) {
    const arrayBuffer = loadFile(file.path);
    const metadata = metadataOf(arrayBuffer);
    checkFooter(metadata, file, manifest.created_by, checker);
    checkPageIndex(arrayBuffer, metadata, file, checker);
    checkPageCrcs(arrayBuffer, metadata, file, checker);
    checkBloomFilters(arrayBuffer, metadata, file, checker);
    checker.count('files (footer, page index, page headers, bloom filters)');
    if (!kValueCodecs.has(file.codec)) {
      skipped.push(`${file.name} (${file.codec})`);
      continue;
    }
    const rows = await readRows(arrayBuffer, file);
    compareRows(checker, file.name, file.columns.map((c) => c.name),
                file.columns.map((c) => (c.kind === 'float' ? 'float' : 'exact')), rows, file.rows);
    checker.count('files whose values were compared');
  }
  checker.note(`values not compared for ${skipped.length} files whose codec needs the ` +
               `hyparquet-compressors package (ZSTD, LZ4_RAW), not installed here: ${skipped.join(', ')}`);
  checker.finish();
});
