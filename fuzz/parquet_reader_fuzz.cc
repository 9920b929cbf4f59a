// libFuzzer target: arbitrary bytes as a Parquet file. Opening (footer, schema, column chunk
// ranges), reading every column of every row group in batches, and reading bloom filters and
// page indexes must never crash, hang, read outside the input or allocate beyond what the
// input's sizes justify; errors are fine.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "parquet/parquet_reader.h"
#include "testing/string_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace strata::parquet;
  auto reader =
      ParquetReader::Open(strata::testing::FileOverCopyOf(data, size), size, "fuzz.parquet");
  if (!reader.ok()) return 0;
  ParquetReader& r = **reader;
  for (size_t g = 0; g < r.num_row_groups(); g++) {
    for (size_t c = 0; c < r.schema().num_columns(); c++) {
      (void)r.ReadBloomFilter(static_cast<int>(g), static_cast<int>(c));
      (void)r.ReadColumnIndex(static_cast<int>(g), static_cast<int>(c));
      (void)r.ReadOffsetIndex(static_cast<int>(g), static_cast<int>(c));
    }
  }
  ScanOptions scan;
  scan.batch_rows = 997;  // batches that end inside pages
  if (r.schema().num_columns() > 0) {
    scan.predicates.push_back(
        Predicate::Compare(r.schema().column(0).name, Predicate::Op::kEq, Value::Int(7)));
  }
  for (int pass = 0; pass < 2; pass++) {
    auto batches = r.Scan(scan);
    if (!batches.ok()) return 0;
    ColumnBatch batch;
    // A footer can claim billions of rows in a few bytes: stop after a bounded amount.
    for (int i = 0; i < 1000; i++) {
      auto more = (*batches)->Next(&batch);
      if (!more.ok() || !*more) break;
    }
    scan.predicates.clear();
  }
  return 0;
}
