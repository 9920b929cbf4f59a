// The interop fixture's catalog: which Parquet files it writes with Strata's writer, with
// which columns, options and values. Each file exercises one area (a codec and page version,
// an encoding, nulls, dictionary fallback, bloom filters, row-group skipping, truncated
// statistics); together they cover every physical type, every logical type Strata writes,
// every codec and every encoding.
//
// Values come from a seeded generator, so a run is reproducible. They are generated into a
// ColumnBatch, which is both what the writer is given and the source of every expectation
// (rows, statistics, encodings): nothing expected is read back from the file.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "base/enum_names.h"
#include "parquet/column_batch.h"
#include "parquet/schema.h"
#include "parquet/writer_options.h"

namespace strata::interop {

// How a column's values are drawn.
enum class ValueMode : uint8_t {
  kPool,            // from a small set of edge values (extremes, NaN, -0.0, empty, UTF-8):
                    // low cardinality, so dictionary encoding always pays
  kRandom,          // across the type's whole range, with edge values now and then
  kAscending,       // increasing with the row number (disjoint row-group ranges)
  kPoolThenUnique,  // the first kPoolRowsPerGroup rows of each row group from the pool,
                    // then random: the dictionary is used, then overflows mid-chunk
  kLongStrings,     // ASCII letters, many longer than the statistics truncation length
};

// The manifest's "value_mode" (the node scripts read it).
constexpr auto EnumNameTable(ValueMode) {
  return std::to_array<EnumNameEntry<ValueMode>>({
      {ValueMode::kPool, "pool"},
      {ValueMode::kRandom, "random"},
      {ValueMode::kAscending, "ascending"},
      {ValueMode::kPoolThenUnique, "pool_then_unique"},
      {ValueMode::kLongStrings, "long_strings"},
  });
}

inline constexpr size_t kPoolRowsPerGroup = 400;

struct FixtureColumn {
  parquet::ColumnSpec spec;
  parquet::ColumnOptions options;
  ValueMode mode = ValueMode::kPool;
  double null_ratio = 0;  // of an OPTIONAL column's rows; 1: every row is null
};

struct FixtureFile {
  std::string name;     // file is name + ".parquet"
  std::string purpose;  // one line, for the manifest and failure messages
  std::vector<FixtureColumn> columns;
  // The writer's options; `columns` is filled from FixtureColumn::options when writing.
  parquet::WriterOptions options;
  size_t rows = 0;
  uint64_t seed = 0;

  parquet::Schema schema() const;
  parquet::WriterOptions WriterOptionsWithColumns() const;
};

std::vector<FixtureFile> Catalog();

// The file's values: the rows handed to the writer, and the expectations' only source.
parquet::ColumnBatch GenerateValues(const FixtureFile& file);

}  // namespace strata::interop
