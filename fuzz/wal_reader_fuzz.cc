// libFuzzer target: arbitrary bytes as a log file, read in every recovery mode. The reader
// must never crash, hang or return more payload bytes than the input holds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "strata/env.h"
#include "wal/log_reader.h"

namespace {

class BytesFile final : public strata::SequentialFile {
 public:
  BytesFile(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  strata::Status Read(size_t n, strata::Slice* result, char* scratch) override {
    const size_t take = n < size_ - pos_ ? n : size_ - pos_;
    for (size_t i = 0; i < take; i++) scratch[i] = static_cast<char>(data_[pos_ + i]);
    pos_ += take;
    *result = strata::Slice(scratch, take);
    return strata::Status::OK();
  }
  strata::Status Skip(uint64_t n) override {
    pos_ = n < size_ - pos_ ? pos_ + n : size_;
    return strata::Status::OK();
  }

 private:
  const uint8_t* const data_;
  const size_t size_;
  size_t pos_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using strata::wal::RecoveryMode;
  for (RecoveryMode mode :
       {RecoveryMode::kTolerateCorruptedTail, RecoveryMode::kAbsoluteConsistency,
        RecoveryMode::kSkipCorrupted, RecoveryMode::kPointInTime}) {
    strata::wal::LogReader reader("fuzz.log", std::make_unique<BytesFile>(data, size), nullptr,
                                  mode);
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
