// LzfStream: LZF decompression from the byte stream, a window at a time.
//
// LZF (the codec Redis uses for strings, with rdbcompression on) is a sequence of
// instructions, each starting with a control byte c:
//   c < 32             literal run: the next c + 1 bytes are copied to the output.
//   c >= 32            back reference: length L = c >> 5 (7 means "add the next byte"), then
//                      offset = ((c & 31) << 8 | next byte) + 1; copy L + 2 bytes starting
//                      offset bytes before the end of the output so far.
// An offset is at most 8192, so decompressing needs only the last 8 KiB of output: the stream
// keeps a fixed output buffer whose first kHistory bytes are the history of the window it
// hands out. Memory is constant whatever the string's size.
//
// The input is the compressed body as it sits in the RdbReader (compressed_length bytes).
// The stream consumes input lazily, so a caller that needs only the first bytes of the output
// (a container header) decompresses only the instructions that produce them; Abandon() then
// skips the rest of the input undecoded.
#pragma once

#include <cstdint>
#include <memory>

#include "rdb/rdb_reader.h"

namespace strata::rdb {

class LzfStream {
 public:
  static constexpr size_t kHistory = 8192;
  static constexpr size_t kOutputBytes = 64 * 1024;  // history included

  // The output buffer is allocated once here and reused by every Start().
  LzfStream();
  // Prepares to decompress compressed_length bytes at the reader's position into exactly
  // uncompressed_length bytes. The reader must outlive the use of the stream.
  void Start(RdbReader* reader, uint64_t compressed_length, uint64_t uncompressed_length);

  // The longest output of one instruction: a back reference of 7 + 255 + 2 bytes.
  static constexpr size_t kMaxInstructionOutput = 264;
  static constexpr size_t kMaxWant = kOutputBytes - kHistory - kMaxInstructionOutput;

  // Decompresses until at least `want` (1 <= want <= kMaxWant) new
  // bytes are ready or the output is complete, and returns the new bytes. An empty *out
  // means the output is complete. The view is valid until the next call.
  Status Next(size_t want, Slice* out);
  // Skips the compressed bytes not yet read, without decoding them.
  Status Abandon();
  // After the whole output was taken: Corruption unless the output is complete and every
  // compressed byte was used, as a well-formed LZF block requires.
  Status Finish();

  uint64_t produced() const { return produced_; }
  uint64_t uncompressed_length() const { return out_length_; }
  bool done() const { return produced_ == out_length_; }

 private:
  // One input byte; Corruption when the compressed body ends mid-instruction.
  Status InputByte(uint8_t* b) {
    if (in_pos_ == in_end_) {
      Status s = RefillInput();
      if (!s.ok()) return s;
    }
    *b = static_cast<uint8_t>(*in_pos_++);
    return Status::OK();
  }
  Status RefillInput();
  Status DecodeOne();  // one instruction into out_

  RdbReader* reader_ = nullptr;
  uint64_t in_remaining_ = 0;  // compressed bytes not yet taken from the reader
  const char* in_pos_ = nullptr;
  const char* in_end_ = nullptr;
  uint64_t out_length_ = 0;
  uint64_t produced_ = 0;
  std::unique_ptr<char[]> out_;
  size_t out_fill_ = 0;  // bytes of out_ holding output; the last kHistory are history
};

}  // namespace strata::rdb
