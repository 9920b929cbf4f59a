// libFuzzer target: arbitrary bytes as a log file, read in every recovery mode. The reader
// must never crash, hang or return more payload bytes than the input holds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "testing/string_file.h"
#include "wal/log_reader.h"

namespace {

// The input as a file; a copy, which costs nothing next to parsing it.
std::unique_ptr<strata::testing::StringSequentialFile> InputFile(const uint8_t* data, size_t size) {
  return std::make_unique<strata::testing::StringSequentialFile>(
      std::string(reinterpret_cast<const char*>(data), size));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using strata::wal::RecoveryMode;
  for (RecoveryMode mode :
       {RecoveryMode::kTolerateCorruptedTail, RecoveryMode::kAbsoluteConsistency,
        RecoveryMode::kSkipCorrupted, RecoveryMode::kPointInTime}) {
    strata::wal::LogReader reader("fuzz.log", InputFile(data, size), nullptr, mode);
    strata::Slice record;
    std::string scratch;
    size_t returned = 0;
    while (reader.ReadRecord(&record, &scratch)) {
      returned += record.size();
      if (returned > size) std::abort();  // payload bytes must come from the input
    }
  }
  return 0;
}
