#include "base/crc32.h"

#include "base/crc_slicing.h"

namespace strata::crc32 {

namespace {
// Reflected form of 0x04C11DB7.
constexpr auto kTables = internal::MakeSlicingTables<uint32_t>(0xEDB88320u);
}  // namespace

uint32_t Extend(uint32_t crc, const char* data, size_t n) {
  // The register holds the complement of the CRC; undoing the final xor of the previous
  // call lets a CRC be continued.
  return ~internal::ExtendRegister(kTables, ~crc, data, n);
}

}  // namespace strata::crc32
