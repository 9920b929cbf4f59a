// libFuzzer target: arbitrary bytes as one MANIFEST record (a VersionEdit). Decoding must
// never crash or hang; an edit that decodes must encode to bytes that decode to the same
// edit, and encoding that again must give the same bytes: the MANIFEST's reader and writer
// agree on everything the reader accepts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "db/version_edit.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  strata::VersionEdit edit;
  const strata::Slice input(reinterpret_cast<const char*>(data), size);
  if (!edit.DecodeFrom(input).ok()) return 0;
  std::string once;
  edit.EncodeTo(&once);
  strata::VersionEdit again;
  if (!again.DecodeFrom(once).ok()) std::abort();  // our own encoding must decode
  std::string twice;
  again.EncodeTo(&twice);
  if (once != twice) std::abort();
  if (edit.DebugString() != again.DebugString()) std::abort();
  return 0;
}
