// ColumnChunkWriter: turns one column's values for one row group into the bytes of a column
// chunk (an optional dictionary page, then data pages) plus what the footer, the page index
// and the bloom filter need to describe it.
//
// Values arrive in slices of batches; pages are cut at WriterOptions::page_bytes of encoded
// data or page_rows rows, compressed at once and kept in memory until Finish: the dictionary
// page must come first but is complete only at the end of the row group. A writer is reused
// for every row group of its column (Finish, then Reset). Writers of different columns are
// independent and may run on different threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parquet/codec.h"
#include "parquet/column_batch.h"
#include "parquet/dictionary_encoder.h"
#include "parquet/metadata.h"
#include "parquet/schema.h"
#include "parquet/statistics.h"
#include "parquet/writer_options.h"

namespace strata::parquet {

// A finished column chunk. Offsets in meta, offset_index and the bloom filter's placement
// are relative to the start of `bytes`; the file writer adds the chunk's file offset.
struct FinishedChunk {
  std::string bytes;
  ColumnMetaData meta;
  std::optional<ColumnIndex> column_index;  // absent when a page has no usable bounds order
  OffsetIndex offset_index;
  std::optional<std::string> bloom_filter;  // the bitset, when the column has one
};

class ColumnChunkWriter {
 public:
  // Validates the column's options (InvalidArgument naming the column).
  static Result<std::unique_ptr<ColumnChunkWriter>> Make(const ColumnSpec& column,
                                                         const WriterOptions& options);

  // Adds rows [begin, end) of values, which has the column's physical type. With rows, the
  // rows added are rows[begin], ..., rows[end - 1] instead (a sorted permutation, so a sort
  // can write its output without first copying it into order).
  Status Append(const ColumnVector& values, size_t begin, size_t end,
                const uint32_t* rows = nullptr);
  // Bytes this chunk will take, about: finished pages plus the open page's estimate.
  size_t EstimatedBytes() const;
  // Uncompressed bytes so far (the row-group byte limit counts these).
  size_t EncodedBytes() const;

  // Closes the open page and returns the chunk. The writer is then empty (as after Reset).
  Status Finish(FinishedChunk* out);
  void Reset();

 private:
  ColumnChunkWriter(const ColumnSpec& column, const ColumnOptions& column_options,
                    const WriterOptions& options, Codec codec);

  void AppendSlice(const ColumnVector& values, size_t begin, size_t end, const uint32_t* rows);
  void AppendPermuted(const ColumnVector& values, const uint32_t* rows, size_t n);
  void AddToBloom(const ColumnVector& values, size_t row);
  // Stage a valid value for the open page: PLAIN bytes straight away when the fallback is
  // PLAIN (one copy), else into staged_ for an encoder that needs the page's values.
  void StageBytes(std::string_view v);
  void StageFixed(const uint8_t* values, size_t count);
  size_t OpenPageBytes() const;
  Status FlushPage();
  // The open page's values in the fallback encoding (from staged_ or the dictionary).
  Status EncodeValues(std::string* out);
  // True if dictionary encoding of the open (first) page beats its PLAIN form.
  bool DictionaryPays() const;
  void StageFromDictionary();
  Status WritePage(PageType type, Encoding encoding, const std::string& levels,
                   const std::string& values, int32_t num_values, int32_t num_nulls,
                   int32_t num_rows, const Statistics* stats, std::string* dst);
  void CountEncoding(PageType type, Encoding encoding);

  const ColumnSpec column_;
  const ColumnOptions column_options_;
  const WriterOptions& options_;
  Codec codec_;
  const size_t width_;  // FixedWidth of the column's type; 0 for BYTE_ARRAY

  // Dictionary state: active while new pages may use it; used once a page has.
  std::optional<DictionaryEncoder> dictionary_;
  bool dictionary_active_ = false;
  bool dictionary_used_ = false;

  // The open page.
  std::vector<uint8_t> levels_;    // definition levels, OPTIONAL columns only
  std::vector<uint32_t> indices_;  // dictionary indices of the valid rows
  ColumnVector staged_;            // the valid rows' values when not dictionary-encoded
  const bool plain_direct_;        // PLAIN fallback (not BOOLEAN): stage into plain_page_
  std::string plain_page_;         // the open page's values, PLAIN-encoded
  size_t page_rows_ = 0;
  size_t page_nulls_ = 0;
  StatisticsBuilder page_stats_;

  // The chunk so far.
  std::string pages_;  // data pages, headers included
  size_t uncompressed_bytes_ = 0;
  int64_t num_values_ = 0;
  int64_t pages_written_ = 0;
  StatisticsBuilder chunk_stats_;
  std::vector<Encoding> encodings_;
  std::vector<PageEncodingStats> encoding_stats_;
  OffsetIndex offset_index_;
  ColumnIndex column_index_;
  bool index_ascending_ = true;
  bool index_descending_ = true;
  std::vector<uint64_t> bloom_hashes_;
  Buffer compress_scratch_;
};

}  // namespace strata::parquet
