// PageReader: walks the pages of one column chunk in a file, one at a time: reads each page
// header, checks it against the chunk's bounds, reads the page and decompresses it.
//
// Memory is one page (its compressed and decompressed bytes), never the chunk, so many
// column chunks can be read at once (a k-way merge over many files does).
//
// Every size comes from the file and is checked before it is used: a header must fit in the
// chunk, a page's compressed bytes must fit in what remains of it, and a page's claimed
// uncompressed size must be believable: up to kSmallPageLimit any size is allowed (a cheap
// bound), above it at most kMaxCompressionRatio times the compressed size.
#pragma once

#include <cstdint>
#include <string>

#include "parquet/codec.h"
#include "parquet/column_batch.h"
#include "parquet/metadata.h"
#include "strata/env.h"

namespace strata::parquet {

// One page as the column reader needs it. For DATA_PAGE_V2, levels are the raw levels and
// values the decompressed values; for the other types, values holds the whole decompressed
// page (v1 levels included) and levels is empty.
struct Page {
  PageHeader header;
  uint64_t offset = 0;  // of the header in the file
  const uint8_t* levels = nullptr;
  size_t levels_size = 0;
  const uint8_t* values = nullptr;
  size_t values_size = 0;
};

class PageReader {
 public:
  static constexpr size_t kSmallPageLimit = 64 << 20;
  static constexpr size_t kMaxCompressionRatio = 4096;

  // The chunk is [start, start + length) of file; name is for messages. The file must
  // outlive the reader.
  PageReader(const RandomAccessFile* file, std::string name, uint64_t start, uint64_t length,
             CompressionCodec codec);

  Status Init();
  // The next page, valid until the next call; false at the end of the chunk.
  Result<bool> Next(Page* page);
  uint64_t position() const { return pos_; }

 private:
  Status Corrupt(uint64_t offset, const std::string& what) const;
  Status ReadHeader(PageHeader* header, size_t* header_size);
  Status ReadAt(uint64_t offset, size_t n, Buffer* into);

  const RandomAccessFile* file_;
  const std::string name_;
  const uint64_t end_;
  const CompressionCodec codec_id_;
  Codec codec_;  // made by Init
  uint64_t pos_;
  Buffer raw_;    // the page as stored
  Buffer plain_;  // decompressed
};

}  // namespace strata::parquet
