// libFuzzer target: arbitrary bytes as a Parquet footer and as a page header. Decoding must
// never crash, hang, read past the input or allocate in proportion to a claimed count; and
// whatever decodes must survive a write and a second read unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "parquet/metadata.h"
#include "strata/slice.h"

namespace {

template <typename T>
void DecodeAndCheck(const strata::Slice& input) {
  T decoded;
  size_t consumed = 0;
  if (!decoded.Deserialize(input, "fuzz", 0, &consumed).ok()) return;
  if (consumed == 0 || consumed > input.size()) std::abort();
  std::string rewritten;
  decoded.Serialize(&rewritten);
  T again;
  if (!again.Deserialize(rewritten, "fuzz", 0).ok()) std::abort();
  if (!(again == decoded)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const strata::Slice input(reinterpret_cast<const char*>(data), size);
  DecodeAndCheck<strata::parquet::FileMetaData>(input);
  DecodeAndCheck<strata::parquet::PageHeader>(input);
  return 0;
}
