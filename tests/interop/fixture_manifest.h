// What a fixture file must show a reader, worked out by the fixture from its own values and
// options, independently of Strata's writer and reader:
//  - per row group and column: the row count, the null count, the exact minimum and
//    maximum in the column's order (NaN left out, a zero minimum as -0.0 and a zero maximum
//    as +0.0, byte arrays truncated past the truncation length as the format describes),
//    the encodings the chunk uses and whether it has a dictionary page;
//  - per column: the physical type, converted and logical type, repetition, bloom filter;
//  - per file: codec, data page version, key/value metadata, sorting columns, page CRCs.
// Values are in the canonical JSON form of fixture_json.h.
#pragma once

#include <string>

#include "fixture_catalog.h"
#include "parquet/column_batch.h"

namespace strata::interop {

// The manifest entry (one JSON object) of a file whose values are `values`.
std::string ManifestEntry(const FixtureFile& file, const parquet::ColumnBatch& values);

}  // namespace strata::interop
