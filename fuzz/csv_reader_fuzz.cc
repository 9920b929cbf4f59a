// libFuzzer target: arbitrary bytes as a CSV file, read with a tiny chunk size so records and
// quoted fields straddle chunk boundaries. The reader must never crash or hang, must stop at
// the first error, and every field it returns must be made of input bytes: the fields of a
// record hold at most as many bytes as the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "parquet/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (const char delimiter : {',', '\t'}) {
    strata::parquet::CsvOptions options;
    options.delimiter = delimiter;
    options.read_chunk_bytes = 7;
    auto reader = strata::parquet::CsvReader::FromString(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv", options);
    strata::parquet::CsvRecord record;
    uint64_t last_line = 0;
    while (true) {
      auto more = reader->Next(&record);
      if (!more.ok() || !*more) break;
      size_t bytes = 0;
      for (const auto& field : record.fields) bytes += field.size();
      if (bytes > size) std::abort();
      if (record.fields.size() != record.quoted.size()) std::abort();
      if (record.line <= last_line) std::abort();  // lines only move forward
      last_line = record.line;
    }
  }
  return 0;
}
