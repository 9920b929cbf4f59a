// ColumnChunkReader: decodes the rows of one column chunk into ColumnVectors, a batch at a
// time, whatever encodings the writer chose: PLAIN, PLAIN_DICTIONARY and RLE_DICTIONARY,
// RLE (booleans), DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and
// BYTE_STREAM_SPLIT, in v1 and v2 data pages.
//
// It holds one page and the chunk's dictionary; byte-array values of a batch point into
// memory of the batch itself (they are copied), so a batch outlives the pages it came from.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/arena.h"
#include "parquet/byte_stream_split.h"
#include "parquet/column_batch.h"
#include "parquet/delta_binary_packed.h"
#include "parquet/delta_byte_array.h"
#include "parquet/page_reader.h"
#include "parquet/plain_encoding.h"
#include "parquet/rle_bit_packed.h"
#include "parquet/schema.h"

namespace strata::parquet {

class ColumnChunkReader {
 public:
  // chunk: the chunk's metadata, already checked to lie within the file.
  ColumnChunkReader(const RandomAccessFile* file, std::string name, const ColumnSpec& column,
                    const ColumnMetaData& chunk, uint64_t start, uint64_t length);

  Status Init();
  // Appends the next n rows to *out (which has the column's physical type). Corruption if
  // the chunk holds fewer rows, or any page is damaged.
  Status Read(size_t n, ColumnVector* out);

 private:
  enum class ValueDecoder : uint8_t {
    kPlain,
    kDictionary,
    kRleBoolean,
    kDeltaBinaryPacked,
    kDeltaLengthByteArray,
    kDeltaByteArray,
    kByteStreamSplit,
  };

  Status Corrupt(const std::string& what) const;
  // Moves to the next data page (reading a dictionary page on the way).
  Status NextDataPage();
  Status ReadDictionary(const Page& page);
  Status StartValues(Encoding encoding, const uint8_t* data, size_t size);
  // Decodes the next `count` valid values, appended densely to dense_ (fixed width) or
  // views_ (byte arrays).
  Status DecodeValues(size_t count);

  const std::string name_;
  const ColumnSpec column_;
  const size_t width_;  // fixed width of a value; 0 for BYTE_ARRAY
  const int64_t total_values_;
  PageReader pages_;

  // Dictionary: fixed-width values back to back, or byte-array views into dict_bytes_.
  bool has_dictionary_ = false;
  Buffer dict_fixed_;
  std::string dict_bytes_;
  std::vector<std::string_view> dict_views_;
  size_t dict_size_ = 0;

  // The current data page.
  Page page_;
  int64_t values_read_ = 0;  // rows of the chunk consumed so far
  size_t page_rows_left_ = 0;
  bool has_levels_ = false;
  RleBitPackedDecoder levels_;
  ValueDecoder decoder_ = ValueDecoder::kPlain;
  PlainDecoder plain_;
  RleBitPackedDecoder indices_;
  RleBitPackedDecoder rle_booleans_;
  DeltaBinaryPackedDecoder<int32_t> delta32_;
  DeltaBinaryPackedDecoder<int64_t> delta64_;
  DeltaLengthByteArrayDecoder delta_length_;
  DeltaByteArrayDecoder delta_bytes_;
  ByteStreamSplitDecoder split_;

  // Scratch reused across batches.
  std::vector<uint8_t> valid_;
  std::vector<uint32_t> index_scratch_;
  Buffer dense_;
  ScratchArray<std::string_view> views_;
  ScratchArray<std::string_view> row_views_;
  std::unique_ptr<Arena> arena_;  // DELTA_BYTE_ARRAY values of the current page's batch
};

}  // namespace strata::parquet
