// The facts `strata parquet inspect` shows, gathered from a file's footer into one JSON
// document: printed as is by --json, and laid out as text otherwise. The document's shape is
// an interface (the DuckDB interop tests read it); add keys, never rename or remove them.
//
// {
//   "file": "t.parquet", "file_size": 1234, "footer_length": 456,
//   "created_by": "strata version 0.1.0" | null, "version": 1, "num_rows": 3,
//   "num_row_groups": 1,
//   "key_value_metadata": [{"key": "k", "value": "v" | null}, ...] | null,
//   "columns": [{"index": 0, "name": "id", "type": "int64", "physical_type": "INT64",
//                "logical_type": "INTEGER(64,signed)" | null, "converted_type": "INT_64" | null,
//                "repetition": "REQUIRED", "type_length": null, "column_order": "TYPE_ORDER" |
//                null}, ...],
//   "row_groups": [{"index": 0, "num_rows": 3, "total_byte_size": 120,
//                   "total_compressed_size": 100 | null, "file_offset": 4 | null,
//                   "ordinal": 0 | null,
//                   "sorting_columns": [{"column_idx": 0, "column": "id", "descending": false,
//                                        "nulls_first": true}] | null,
//                   "columns": [{"name": "id", "codec": "SNAPPY", "encodings": ["PLAIN", ...],
//                                "encoding_stats": [{"page_type": "DATA_PAGE", "encoding":
//                                                    "PLAIN", "count": 1}] | null,
//                                "num_values": 3, "total_compressed_size": 80,
//                                "total_uncompressed_size": 90, "data_page_offset": 40,
//                                "dictionary_page_offset": 4 | null,
//                                "index_page_offset": null,
//                                "statistics": {"null_count": 0 | null, "nan_count": null,
//                                               "distinct_count": null, "min": "1" | null,
//                                               "max": "3" | null, "min_exact": true | null,
//                                               "max_exact": true | null,
//                                               "deprecated_min_max": false} | null,
//                                "bloom_filter_offset": null, "bloom_filter_length": null,
//                                "column_index_offset": 300 | null, "column_index_length": 20,
//                                "offset_index_offset": 320, "offset_index_length": 15}]}]
// }
// "type" is Schema::TypeName (what from-csv --schema takes). "min" and "max" are strings
// rendered as `cat` renders values (parquet/value_format.h); they come from the statistics'
// min_value/max_value, or from the deprecated min/max fields ("deprecated_min_max": true)
// when only those are present.
#pragma once

#include <nlohmann/json.hpp>

#include "parquet/parquet_reader.h"

namespace strata::cli {

nlohmann::ordered_json InspectDocument(const parquet::ParquetReader& reader);

}  // namespace strata::cli
