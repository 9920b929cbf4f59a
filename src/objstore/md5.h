// Md5: the MD5 message digest (RFC 1321), for S3's Content-MD5 header and ETags.
//
// S3 uses MD5 as an integrity check of bytes in transit, not for security, and so does Strata:
// an upload sends the MD5 of its body (the server refuses a body that does not match it) and
// compares the ETag it gets back with it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace strata::objstore {

class Md5 {
 public:
  using Digest = std::array<uint8_t, 16>;

  Md5();
  // Adds n bytes to the message. Not after Finish().
  void Update(const void* data, size_t n);
  void Update(std::string_view bytes) { Update(bytes.data(), bytes.size()); }
  // Pads the message and returns its digest; the object is spent afterwards.
  Digest Finish();

  // The digest of bytes, at once.
  static Digest Of(std::string_view bytes);

 private:
  // Mixes one 64-byte block into state_.
  void Transform(const uint8_t* block);

  std::array<uint32_t, 4> state_;
  uint64_t length_ = 0;  // message bytes so far
  // Bytes of an incomplete block: buffered_ of them, always fewer than 64.
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
};

// The digest as 32 lowercase hex digits, as S3 shows it in ETags.
std::string Md5Hex(const Md5::Digest& digest);

}  // namespace strata::objstore
