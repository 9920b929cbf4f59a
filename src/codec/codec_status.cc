#include "codec/codec_status.h"

#include <string>

namespace strata::codec {

Status CodecCorruption(std::string_view codec, std::string_view what) {
  return Status::Corruption(codec, what);
}

Status WrongDecodedSize(std::string_view codec, size_t got, size_t expected) {
  return Status::Corruption(codec, "decompresses to " + std::to_string(got) + " bytes, expected " +
                                       std::to_string(expected));
}

Status OutputTooSmall(std::string_view codec, size_t capacity, size_t bound) {
  return Status::InvalidArgument(codec, "output space of " + std::to_string(capacity) +
                                            " bytes is below the bound of " +
                                            std::to_string(bound));
}

Status InputTooLarge(std::string_view codec, size_t n) {
  return Status::InvalidArgument(
      codec, "input of " + std::to_string(n) + " bytes is too large to compress");
}

}  // namespace strata::codec
