#include "wal/log_format.h"

#include <cstring>

#include "base/coding.h"

namespace strata::wal {

std::string LogFileHeader::Encode() const {
  std::string out(kMagic, sizeof(kMagic));
  PutFixed32(&out, version);
  PutFixed32(&out, static_cast<uint32_t>(purpose));
  PutFixed64(&out, log_number);
  return out;
}

Result<LogFileHeader> LogFileHeader::Decode(const Slice& payload) {
  LogFileHeader header;
  if (payload.size() != kEncodedSize) {
    return Status::Corruption("log header has " + std::to_string(payload.size()) +
                              " bytes, expected " + std::to_string(kEncodedSize));
  }
  if (std::memcmp(payload.data(), kMagic, sizeof(kMagic)) != 0) {
    return Status::Corruption("not a Strata log (bad magic)");
  }
  const char* p = payload.data() + sizeof(kMagic);
  header.version = DecodeFixed32(p);
  if (header.version != kVersion) {
    return Status::NotSupported("log format version " + std::to_string(header.version) +
                                " (this build reads version " + std::to_string(kVersion) + ")");
  }
  header.purpose = static_cast<LogPurpose>(DecodeFixed32(p + 4));
  header.log_number = DecodeFixed64(p + 8);
  return header;
}

}  // namespace strata::wal
