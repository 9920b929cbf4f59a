// libFuzzer target: arbitrary bytes as an RDB stream, parsed with and without walking
// LZF-compressed containers. The parser must never crash, hang or allocate beyond the input,
// and every key it reports must have come from the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "rdb/rdb_check.h"
#include "rdb/rdb_parser.h"
#include "rdbtool/memory_estimate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const strata::Slice input(reinterpret_cast<const char*>(data), size);
  for (bool walk_compressed : {false, true}) {
    strata::MemoryByteSource source(input);
    strata::rdb::RdbParserOptions options;
    options.walk_compressed_containers = walk_compressed;
    options.read_chunk_bytes = 0;  // the minimum, so refills happen mid-value more often
    uint64_t key_bytes = 0;
    strata::rdb::KeyCallbackVisitor visitor([&](const strata::rdb::KeyRecord& record) {
      key_bytes += record.key.size();
      // A key either sits in the input or was decompressed from it (LZF expands at most
      // about 132 times).
      if (key_bytes > 200 * size + 64) std::abort();
      if (record.value_offset + record.rdb_size > size) std::abort();
      // The memory model takes whatever shape the parser reports (UBSan catches overflow).
      (void)strata::rdbtool::EstimateMemory(record);
      return strata::Status::OK();
    });
    strata::rdb::RdbParser parser(&source, "fuzz.rdb", options, &visitor);
    strata::Status s = parser.Parse();
    if (parser.offset() > size) std::abort();
    (void)s;
  }
  // The check report must format whatever the outcome.
  strata::MemoryByteSource source(input);
  strata::Status status;
  std::string report =
      strata::rdb::CheckRdb(&source, "fuzz.rdb", strata::rdb::RdbParserOptions(), 0, &status);
  if (report.empty()) std::abort();
  return 0;
}
