// RdbReader: the RDB byte stream as the parser consumes it.
//
// It owns one fixed buffer (chunk_bytes, at least 256 KiB) that it refills from the source
// in large reads, so memory never depends on the size of the file or of any value. On top of
// the buffer it decodes the RDB primitives: one-byte types, length encodings, strings with
// their special encodings (INT8/16/32, LZF), fixed-width little-endian integers.
//
// It also keeps the running CRC64 of every byte consumed so far (when enabled) and the error
// context: every error it makes names the source, the byte offset where the problem was
// found and, while a key is being read, the key and where its value starts.
//
// Invariants: buf_ <= crc_mark_ <= pos_ <= limit_ <= buf_ + capacity_. Bytes [buf_, pos_)
// are consumed; [crc_mark_, pos_) are consumed but not yet folded into crc_.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "base/byte_source.h"
#include "strata/slice.h"
#include "strata/status.h"

namespace strata::rdb {

class LzfStream;

// What a string header says about the string that follows it.
struct StringHeader {
  enum class Kind : uint8_t { kRaw, kInt, kLzf };
  Kind kind = Kind::kRaw;
  uint64_t length = 0;         // bytes of the string's value (uncompressed, or decimal digits)
  uint64_t stored_length = 0;  // bytes that follow the header in the file (clen for LZF)
  int64_t int_value = 0;       // kInt only
};

class RdbReader {
 public:
  static constexpr size_t kMinChunkBytes = 256 * 1024;

  // source must outlive the reader. name is used in messages ("dump.rdb", "host:port").
  RdbReader(ByteSource* source, std::string name, size_t chunk_bytes);
  ~RdbReader();
  RdbReader(const RdbReader&) = delete;
  RdbReader& operator=(const RdbReader&) = delete;

  const std::string& name() const { return name_; }
  // Bytes consumed so far: the offset of the next byte to be read.
  uint64_t offset() const { return base_offset_ + static_cast<uint64_t>(pos_ - buf_.get()); }
  // Bytes read from the source so far; safe to call from another thread (progress bars).
  uint64_t bytes_read() const { return bytes_read_.load(std::memory_order_relaxed); }

  // ---- Error context ----
  // While set, errors name this key and the offset of its value. key must stay alive.
  void SetKeyContext(const std::string* key, uint64_t value_offset) {
    key_ = key;
    value_offset_ = value_offset;
  }
  void ClearKeyContext() { key_ = nullptr; }
  Status Corruption(std::string_view what) const { return MakeError(true, what); }
  Status NotSupported(std::string_view what) const { return MakeError(false, what); }

  // ---- Checksum ----
  void EnableChecksum(bool on) { crc_enabled_ = on; }
  // CRC64 (Redis's Jones variant) of every byte consumed so far.
  uint64_t Checksum();

  // ---- Raw bytes ----
  Status ReadByte(uint8_t* b) {
    if (pos_ == limit_) {
      Status s = Fill(1);
      if (!s.ok()) return s;
    }
    *b = static_cast<uint8_t>(*pos_++);
    return Status::OK();
  }
  Status ReadExact(char* dst, size_t n) {
    if (static_cast<size_t>(limit_ - pos_) >= n) {
      std::memcpy(dst, pos_, n);
      pos_ += n;
      return Status::OK();
    }
    return ReadExactSlow(dst, n);
  }
  Status Skip(uint64_t n);
  // Consumes and returns between 1 and max bytes (max > 0) that sit in the buffer; the view is
  // valid until the next call on the reader.
  Status ReadSome(uint64_t max, Slice* out);
  // Reads up to n bytes, fewer only at the end of the input (used for the trailer).
  Status ReadUpTo(char* dst, size_t n, size_t* got);

  // ---- RDB primitives ----
  Status ReadU32LE(uint32_t* v);
  Status ReadU64LE(uint64_t* v);
  // A length; *encoded is set when the byte was 11xxxxxx, *len then holds the encoding id.
  Status ReadLength(uint64_t* len, bool* encoded) {
    if (pos_ != limit_) {
      const uint8_t b = static_cast<uint8_t>(*pos_);
      if ((b >> 6) == 0) {  // 6-bit length: most lengths in a real file
        ++pos_;
        *len = b;
        *encoded = false;
        return Status::OK();
      }
    }
    return ReadLengthSlow(len, encoded);
  }
  // A length that must not be a special encoding; `what` names it in the error.
  Status ReadPlainLength(uint64_t* len, const char* what);

  Status ReadStringHeader(StringHeader* h);
  // Reads a whole string into *out (replacing it). Integer encodings become decimal text, LZF
  // is decompressed. A string longer than max_length is Corruption, raised before anything is
  // allocated; memory then grows only with bytes actually present in the input.
  Status ReadString(std::string* out, uint64_t max_length, const char* what);
  // Consumes the rest of a string whose header was read.
  Status SkipStringBody(const StringHeader& h) {
    return h.kind == StringHeader::Kind::kInt ? Status::OK() : Skip(h.stored_length);
  }
  // Reads a header and skips the body.
  Status SkipString(StringHeader* h) {
    Status s = ReadStringHeader(h);
    if (!s.ok()) return s;
    return SkipStringBody(*h);
  }

 private:
  // Makes at least `need` (<= capacity) unconsumed bytes available; fewer only at the end of
  // the input, which is then a "truncated" Corruption.
  Status Fill(size_t need);
  Status ReadExactSlow(char* dst, size_t n);
  Status ReadLengthSlow(uint64_t* len, bool* encoded);
  Status MakeError(bool corruption, std::string_view what) const;
  void FoldChecksum();

  ByteSource* const source_;
  const std::string name_;
  const size_t capacity_;
  std::unique_ptr<char[]> buf_;
  const char* pos_;
  const char* limit_;
  const char* crc_mark_;
  uint64_t base_offset_ = 0;  // stream offset of buf_[0]
  bool eof_ = false;          // the source said it has no more bytes
  std::atomic<uint64_t> bytes_read_{0};

  bool crc_enabled_ = false;
  uint64_t crc_ = 0;

  const std::string* key_ = nullptr;
  uint64_t value_offset_ = 0;

  std::unique_ptr<LzfStream> lzf_;  // for LZF strings read whole (keys, aux fields)
};

// Number of characters of v in decimal, sign included.
int DecimalLength(int64_t v);
// Bytes of a key that messages show (base/escape.h; the rest is counted, not shown).
constexpr size_t kKeyBytesShown = 64;

}  // namespace strata::rdb
