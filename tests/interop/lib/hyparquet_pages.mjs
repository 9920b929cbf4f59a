// Page-level checks with hyparquet's parsers: the page index (OffsetIndex, ColumnIndex) of
// every column chunk, and the CRC-32 in every page header of files written with page CRCs,
// recomputed with node's zlib.crc32 over the page's bytes as stored.
//
// Page headers are parsed with hyparquet's own (internal) parquetHeader, imported by path
// because the package exports only its public API; the version is pinned in package.json.
import { crc32 } from 'node:zlib';
import { readColumnIndex, readOffsetIndex } from 'hyparquet';
import { parquetHeader } from '../node_modules/hyparquet/src/column.js';
import { kMetadataParsers } from './hyparquet_read.mjs';

function reader(arrayBuffer, offset) {
  return { view: new DataView(arrayBuffer), offset: Number(offset) };
}

export function checkPageIndex(arrayBuffer, metadata, file, checker) {
  metadata.row_groups.forEach((rg, g) => {
    rg.columns.forEach((chunk, c) => {
      const expected = file.row_groups[g].columns[c];
      const what = `${file.name}: row group ${g} column ${file.columns[c].name}`;
      if (!checker.ok(chunk.offset_index_offset !== undefined && chunk.column_index_offset !== undefined,
                      `${what}: no page index`)) return;
      const offsets = readOffsetIndex(reader(arrayBuffer, chunk.offset_index_offset));
      const pages = offsets.page_locations;
      if (expected.pages !== null) checker.equal(pages.length, expected.pages, `${what}: data pages`);
      checker.equal(Number(pages[0]?.first_row_index), 0, `${what}: first page's first row`);
      checker.equal(Number(pages[0]?.offset), Number(chunk.meta_data.data_page_offset),
                    `${what}: first page offset`);
      // Bounds are read as raw bytes: hyparquet 1.33 converts an all-null page's empty bound
      // by the column's type and throws for DATE columns (RangeError in convertMetadata).
      const index = readColumnIndex(reader(arrayBuffer, chunk.column_index_offset),
                                    { type: 'BYTE_ARRAY' }, kMetadataParsers);
      checker.equal(index.null_pages.length, pages.length, `${what}: column index pages`);
      const nulls = index.null_counts.reduce((a, b) => a + Number(b), 0);
      checker.equal(nulls, expected.null_count, `${what}: null counts of the pages`);
      checker.count('page index entries', pages.length);
    });
  });
}

// Walks every page of every chunk (dictionary page first) and checks its CRC.
export function checkPageCrcs(arrayBuffer, metadata, file, checker) {
  metadata.row_groups.forEach((rg, g) => {
    rg.columns.forEach((chunk, c) => {
      const meta = chunk.meta_data;
      const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
      const end = start + Number(meta.total_compressed_size);
      const what = `${file.name}: row group ${g} column ${file.columns[c].name}`;
      const r = reader(arrayBuffer, start);
      while (r.offset < end) {
        const at = r.offset;
        const header = parquetHeader(r);
        const bytes = new Uint8Array(arrayBuffer, r.offset, header.compressed_page_size);
        r.offset += header.compressed_page_size;
        if (!file.page_crc) {
          checker.ok(header.crc === undefined, `${what}: page at ${at} has a CRC the file should not have`);
          continue;
        }
        // The header holds the CRC as a signed i32.
        checker.equal(header.crc, crc32(bytes) | 0, `${what}: CRC of the page at byte ${at}`);
        checker.count('page CRCs verified');
      }
      checker.equal(r.offset, end, `${what}: pages end where the chunk ends`);
    });
  });
}
