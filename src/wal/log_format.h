// The log format, shared by the write-ahead log and (later) the MANIFEST.
//
// A log is a sequence of 32 KiB blocks. A block holds physical records:
//
//   masked crc32c (4 bytes LE) | payload length (2 bytes LE) | type (1 byte) | payload
//
// The checksum covers the type byte and the payload. A logical record that does not fit in
// the rest of a block is split into fragments: FIRST, MIDDLE..., LAST; one that fits is FULL.
// Physical records never cross a block boundary, so every block starts with a header: that
// is what lets a reader resynchronize after damage. A block's tail shorter than a header is
// zero-filled.
//
// The first record of every log file is a FULL record holding a LogFileHeader (magic,
// version, purpose, log number). docs/formats/wal.md describes all of this byte by byte.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/enum_names.h"
#include "base/result.h"
#include "strata/slice.h"
#include "strata/status.h"

namespace strata::wal {

constexpr size_t kBlockSize = 32 * 1024;
constexpr size_t kHeaderSize = 4 + 2 + 1;  // checksum, length, type

enum RecordType : uint8_t {
  // Never written; all-zero bytes (a preallocated or zero-filled region) decode to it.
  kZeroType = 0,
  kFullType = 1,
  kFirstType = 2,
  kMiddleType = 3,
  kLastType = 4,
};
constexpr uint8_t kMaxRecordType = kLastType;

constexpr auto EnumNameTable(RecordType) {
  return std::to_array<EnumNameEntry<RecordType>>({
      {kZeroType, "ZERO"},
      {kFullType, "FULL"},
      {kFirstType, "FIRST"},
      {kMiddleType, "MIDDLE"},
      {kLastType, "LAST"},
  });
}

// What a log file holds; stored in its header so a MANIFEST is never replayed as a WAL.
enum class LogPurpose : uint32_t {
  kWriteAheadLog = 1,
  kManifest = 2,
};

constexpr auto EnumNameTable(LogPurpose) {
  return std::to_array<EnumNameEntry<LogPurpose>>({
      {LogPurpose::kWriteAheadLog, "wal"},
      {LogPurpose::kManifest, "manifest"},
  });
}

// Payload of the first record of every log file.
struct LogFileHeader {
  static constexpr char kMagic[8] = {'S', 'T', 'R', 'A', 'T', 'L', 'O', 'G'};
  static constexpr uint32_t kVersion = 1;
  static constexpr size_t kEncodedSize = 8 + 4 + 4 + 8;

  uint32_t version = kVersion;
  LogPurpose purpose = LogPurpose::kWriteAheadLog;
  uint64_t log_number = 0;

  std::string Encode() const;
  // Fails (Corruption or NotSupported) on a wrong size, magic or an unknown version.
  static Result<LogFileHeader> Decode(const Slice& payload);
};

}  // namespace strata::wal
