// ImportCsv: converts a CSV file into a Parquet file (`strata parquet from-csv`).
//
// Without a schema the file is read twice: once to infer the column types (csv_schema.h),
// once to convert. Memory stays bounded by one batch of rows plus the writer's open row
// group, whatever the file's size. Sorting (sort_by) goes through a RowSorter the caller
// supplies: this module has none of its own, and the CLI passes merge's ExternalSorter,
// which spills sorted runs to disk and so keeps memory bounded too.
//
// Fields become values as value_parse.h describes. Empty fields:
//  - in an OPTIONAL column, an empty unquoted field is NULL;
//  - in a string or binary column, a quoted empty field ("") is the empty string, and so is
//    an unquoted one when the column is REQUIRED;
//  - in any other REQUIRED column an empty field is an error.
// A record whose field count differs from the header's (or, without a header, the first
// record's or the schema's) is an error naming its line. Errors name the CSV file, the line
// and the column.
//
// The output is written under "<parquet_path>.tmp" and renamed into place once complete, so a
// failed import never leaves a partial file behind (nor replaces an existing one).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "parquet/column_batch.h"
#include "parquet/csv_reader.h"
#include "parquet/schema.h"
#include "parquet/writer_options.h"
#include "strata/env.h"

namespace strata::parquet {

// Reorders rows between conversion and writing: takes every row, then hands them back
// sorted by the key columns, each ascending with NULLs first (what the sorting_columns
// ImportCsv records say). Destroying it without Finish must clean up what it spilled.
class RowSorter {
 public:
  virtual ~RowSorter() = default;
  virtual Status Add(const ColumnBatch& batch) = 0;
  // Passes every row added to sink, in order, in batches.
  virtual Status Finish(const std::function<Status(const ColumnBatch&)>& sink) = 0;
};

// Makes the sorter for a schema and key columns (indexes into the schema, most significant
// first).
using RowSorterFactory = std::function<Result<std::unique_ptr<RowSorter>>(
    const Schema& schema, const std::vector<int>& key_columns)>;

struct CsvImportOptions {
  CsvOptions csv;
  // The first record names the columns. Without one, names come from the schema or are
  // column1, column2, ...
  bool header = true;
  // Column types; nullopt: inferred. With a header, its names must equal the schema's.
  std::optional<Schema> schema;
  // Sort rows by these columns (ascending, NULLs first) with make_sorter, which must then be
  // set, and record them as every row group's sorting_columns.
  std::vector<std::string> sort_by;
  RowSorterFactory make_sorter;
  // How to write. Keys of writer.columns must name columns of the CSV.
  WriterOptions writer;
  // Rows converted at a time before they go to the writer.
  size_t batch_rows = 64 * 1024;
};

struct CsvImportSummary {
  Schema schema;
  uint64_t rows = 0;
  size_t row_groups = 0;
  uint64_t file_bytes = 0;
};

Result<CsvImportSummary> ImportCsv(Env* env, const std::string& csv_path,
                                   const std::string& parquet_path,
                                   const CsvImportOptions& options);

}  // namespace strata::parquet
