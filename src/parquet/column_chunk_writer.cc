#include "parquet/column_chunk_writer.h"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cstring>

#include "parquet/byte_stream_split.h"
#include "parquet/delta_binary_packed.h"
#include "parquet/delta_byte_array.h"
#include "parquet/plain_encoding.h"
#include "parquet/rle_bit_packed.h"
#include "parquet/split_block_bloom_filter.h"

namespace strata::parquet {

namespace {

bool EncodingFits(Encoding e, Type t) {
  switch (e) {
    case Encoding::kPlain:
      return true;
    case Encoding::kDeltaBinaryPacked:
      return t == Type::kInt32 || t == Type::kInt64;
    case Encoding::kDeltaLengthByteArray:
    case Encoding::kDeltaByteArray:
      return t == Type::kByteArray;
    case Encoding::kByteStreamSplit:
      return t == Type::kFloat || t == Type::kDouble || t == Type::kInt32 || t == Type::kInt64 ||
             t == Type::kFixedLenByteArray;
    default:
      return false;
  }
}

// The bit width of dictionary indices below `size`. At least 1: some readers mishandle
// width 0 even though a one-entry dictionary allows it.
int IndexBitWidth(size_t size) {
  return std::max(1, static_cast<int>(std::bit_width(size > 0 ? size - 1 : 0)));
}

// Views of the byte-array values of v (all rows valid).
std::vector<std::string_view> Views(const ColumnVector& v) {
  std::vector<std::string_view> views(v.size());
  for (size_t i = 0; i < v.size(); i++) views[i] = v.Bytes(i);
  return views;
}

}  // namespace

Result<std::unique_ptr<ColumnChunkWriter>> ColumnChunkWriter::Make(const ColumnSpec& column,
                                                                   const WriterOptions& options) {
  const ColumnOptions& co = options.For(column.name);
  if (!EncodingFits(co.encoding, column.physical)) {
    return Status::InvalidArgument("column " + column.name,
                                   "encoding " + std::to_string(static_cast<int>(co.encoding)) +
                                       " does not apply to its physical type");
  }
  if (options.data_page_version != 1 && options.data_page_version != 2) {
    return Status::InvalidArgument("data_page_version must be 1 or 2");
  }
  auto codec = Codec::Make(options.compression, options.compression_level);
  if (!codec.ok()) return codec.status();
  return std::unique_ptr<ColumnChunkWriter>(
      new ColumnChunkWriter(column, co, options, std::move(*codec)));
}

ColumnChunkWriter::ColumnChunkWriter(const ColumnSpec& column, const ColumnOptions& column_options,
                                     const WriterOptions& options, Codec codec)
    : column_(column),
      column_options_(column_options),
      options_(options),
      codec_(std::move(codec)),
      width_(FixedWidth(column.physical, column.type_length)),
      staged_(column.physical, column.type_length),
      plain_direct_(column_options.encoding == Encoding::kPlain &&
                    column.physical != Type::kBoolean),
      page_stats_(column, options.statistics_truncate_length),
      chunk_stats_(column, options.statistics_truncate_length) {
  Reset();
}

void ColumnChunkWriter::Reset() {
  // Booleans gain nothing from a dictionary.
  if (column_options_.dictionary && column_.physical != Type::kBoolean) {
    dictionary_.emplace(column_.physical, column_.type_length);
    dictionary_active_ = true;
  } else {
    dictionary_.reset();
    dictionary_active_ = false;
  }
  dictionary_used_ = false;
  levels_.clear();
  indices_.clear();
  staged_.Clear();
  plain_page_.clear();
  page_rows_ = 0;
  page_nulls_ = 0;
  page_stats_.Reset();
  pages_.clear();
  uncompressed_bytes_ = 0;
  num_values_ = 0;
  pages_written_ = 0;
  chunk_stats_.Reset();
  encodings_.clear();
  encoding_stats_.clear();
  offset_index_ = OffsetIndex();
  column_index_ = ColumnIndex();
  index_ascending_ = true;
  index_descending_ = true;
  bloom_hashes_.clear();
}

size_t ColumnChunkWriter::OpenPageBytes() const {
  size_t bytes = levels_.size() / 8;
  if (dictionary_active_) {
    bytes += indices_.size() * static_cast<size_t>(IndexBitWidth(dictionary_->size())) / 8;
  } else if (plain_direct_) {
    bytes += plain_page_.size();
  } else if (column_.physical == Type::kByteArray) {
    bytes += staged_.bytes_size() + 4 * staged_.size();
  } else if (column_.physical == Type::kBoolean) {
    bytes += staged_.size() / 8;
  } else {
    bytes += staged_.size() * width_;
  }
  return bytes;
}

size_t ColumnChunkWriter::EstimatedBytes() const {
  size_t dict = dictionary_used_ || dictionary_active_ ? dictionary_->plain_bytes() : 0;
  return pages_.size() + dict + OpenPageBytes();
}

size_t ColumnChunkWriter::EncodedBytes() const {
  size_t dict = dictionary_used_ || dictionary_active_ ? dictionary_->plain_bytes() : 0;
  return uncompressed_bytes_ + dict + OpenPageBytes();
}

Status ColumnChunkWriter::Append(const ColumnVector& values, size_t begin, size_t end,
                                 const uint32_t* rows) {
  while (begin < end) {
    const size_t room = options_.page_rows - page_rows_;
    // Slices of at most 4096 rows keep the page-size check close to the limit.
    const size_t n = std::min({end - begin, room, size_t{4096}});
    AppendSlice(values, begin, begin + n, rows);
    begin += n;
    const bool dictionary_full =
        dictionary_active_ && dictionary_->plain_bytes() > options_.dictionary_page_bytes;
    if (page_rows_ >= options_.page_rows || OpenPageBytes() >= options_.page_bytes ||
        dictionary_full) {
      Status s = FlushPage();
      if (!s.ok()) return s;
      if (dictionary_full) dictionary_active_ = false;  // fall back for the rest of the chunk
    }
  }
  return Status::OK();
}

void ColumnChunkWriter::AppendSlice(const ColumnVector& values, size_t begin, size_t end,
                                    const uint32_t* rows) {
  if (rows != nullptr) {
    AppendPermuted(values, rows + begin, end - begin);
    return;
  }
  const size_t n = end - begin;
  const uint8_t* valid = values.validity();
  size_t nulls = 0;
  if (column_.optional) {
    const size_t at = levels_.size();
    levels_.resize(at + n);
    if (valid == nullptr) {
      std::memset(levels_.data() + at, 1, n);
    } else {
      std::memcpy(levels_.data() + at, valid + begin, n);
      for (size_t i = 0; i < n; i++) nulls += levels_[at + i] == 0;
    }
  }
  page_rows_ += n;
  page_nulls_ += nulls;
  if (options_.statistics) page_stats_.Update(values, begin, end);
  if (column_options_.bloom_filter) {
    for (size_t i = begin; i < end; i++) AddToBloom(values, i);
  }

  if (dictionary_active_) {
    dictionary_->Encode(values, begin, end, &indices_);
    return;
  }
  // Stage the valid values for the page's encoder.
  if (column_.physical == Type::kByteArray) {
    for (size_t i = begin; i < end; i++) {
      if (valid == nullptr || valid[i] != 0) StageBytes(values.Bytes(i));
    }
    return;
  }
  const uint8_t* src = values.data<uint8_t>();
  if (valid == nullptr) {
    StageFixed(src + begin * width_, n);
    return;
  }
  for (size_t i = begin; i < end; i++) {
    if (valid[i] != 0) StageFixed(src + i * width_, 1);
  }
}

void ColumnChunkWriter::AppendPermuted(const ColumnVector& values, const uint32_t* rows, size_t n) {
  const uint8_t* valid = values.validity();
  size_t nulls = 0;
  if (column_.optional) {
    const size_t at = levels_.size();
    levels_.resize(at + n);
    for (size_t i = 0; i < n; i++) {
      const uint8_t v = valid == nullptr ? 1 : valid[rows[i]];
      levels_[at + i] = v;
      nulls += v == 0;
    }
  }
  page_rows_ += n;
  page_nulls_ += nulls;
  for (size_t i = 0; i < n; i++) {
    // Bounds and counts do not depend on the order; one row at a time keeps them exact.
    if (options_.statistics) page_stats_.Update(values, rows[i], rows[i] + 1);
    if (column_options_.bloom_filter) AddToBloom(values, rows[i]);
  }
  if (dictionary_active_) {
    for (size_t i = 0; i < n; i++) dictionary_->Encode(values, rows[i], rows[i] + 1, &indices_);
    return;
  }
  if (column_.physical == Type::kByteArray) {
    for (size_t i = 0; i < n; i++) {
      if (valid == nullptr || valid[rows[i]] != 0) StageBytes(values.Bytes(rows[i]));
    }
    return;
  }
  const uint8_t* src = values.data<uint8_t>();
  for (size_t i = 0; i < n; i++) {
    if (valid == nullptr || valid[rows[i]] != 0) {
      StageFixed(src + size_t{rows[i]} * width_, 1);
    }
  }
}

void ColumnChunkWriter::AddToBloom(const ColumnVector& values, size_t row) {
  if (!values.IsValid(row)) return;
  if (column_.physical == Type::kByteArray || column_.physical == Type::kFixedLenByteArray) {
    bloom_hashes_.push_back(SplitBlockBloomFilter::Hash(values.Bytes(row)));
  } else {
    bloom_hashes_.push_back(SplitBlockBloomFilter::Hash(std::string_view(
        reinterpret_cast<const char*>(values.data<uint8_t>()) + row * width_, width_)));
  }
}

void ColumnChunkWriter::StageBytes(std::string_view v) {
  if (!plain_direct_) {
    staged_.AppendBytes(v);
    return;
  }
  const auto len = static_cast<uint32_t>(v.size());
  plain_page_.append(reinterpret_cast<const char*>(&len), 4);
  plain_page_.append(v.data(), v.size());
}

void ColumnChunkWriter::StageFixed(const uint8_t* values, size_t count) {
  if (plain_direct_) {
    // Little-endian fixed-width values are their own PLAIN encoding.
    plain_page_.append(reinterpret_cast<const char*>(values), count * width_);
    return;
  }
  std::memcpy(staged_.ExtendFixed(count), values, count * width_);
}

bool ColumnChunkWriter::DictionaryPays() const {
  size_t plain = 0;
  if (column_.physical == Type::kByteArray) {
    for (uint32_t i : indices_) plain += 4 + dictionary_->Value(i).size();
  } else {
    plain = indices_.size() * width_;
  }
  const size_t encoded =
      dictionary_->plain_bytes() +
      indices_.size() * static_cast<size_t>(IndexBitWidth(dictionary_->size())) / 8;
  return encoded < plain;
}

void ColumnChunkWriter::StageFromDictionary() {
  for (uint32_t i : indices_) {
    const std::string_view v = dictionary_->Value(i);
    if (column_.physical == Type::kByteArray) {
      StageBytes(v);
    } else {
      StageFixed(reinterpret_cast<const uint8_t*>(v.data()), 1);  // fixed width, FLBA too
    }
  }
  indices_.clear();
}

Status ColumnChunkWriter::EncodeValues(std::string* out) {
  if (plain_direct_) {
    // Values were staged in their PLAIN form already.
    out->append(plain_page_);
    return Status::OK();
  }
  const size_t n = staged_.size();
  switch (column_options_.encoding) {
    case Encoding::kPlain:
      switch (column_.physical) {
        case Type::kBoolean:
          PlainEncodeBooleans(staged_.data<uint8_t>(), n, out);
          return Status::OK();
        case Type::kInt32:
          PlainEncode(staged_.data<int32_t>(), n, out);
          return Status::OK();
        case Type::kInt64:
          PlainEncode(staged_.data<int64_t>(), n, out);
          return Status::OK();
        case Type::kFloat:
          PlainEncode(staged_.data<float>(), n, out);
          return Status::OK();
        case Type::kDouble:
          PlainEncode(staged_.data<double>(), n, out);
          return Status::OK();
        case Type::kFixedLenByteArray:
          out->append(reinterpret_cast<const char*>(staged_.data<uint8_t>()), n * width_);
          return Status::OK();
        case Type::kByteArray: {
          out->reserve(out->size() + staged_.bytes_size() + 4 * n);
          for (size_t i = 0; i < n; i++) {
            const std::string_view v = staged_.Bytes(i);
            const auto len = static_cast<uint32_t>(v.size());
            out->append(reinterpret_cast<const char*>(&len), 4);
            out->append(v.data(), v.size());
          }
          return Status::OK();
        }
        default:
          return Status::NotSupported("column " + column_.name, "physical type");
      }
    case Encoding::kDeltaBinaryPacked:
      if (column_.physical == Type::kInt32) {
        return DeltaBinaryPackedEncode(staged_.data<int32_t>(), n, out);
      }
      return DeltaBinaryPackedEncode(staged_.data<int64_t>(), n, out);
    case Encoding::kDeltaLengthByteArray: {
      const auto views = Views(staged_);
      return DeltaLengthByteArrayEncode(views.data(), n, out);
    }
    case Encoding::kDeltaByteArray: {
      const auto views = Views(staged_);
      return DeltaByteArrayEncode(views.data(), n, out);
    }
    case Encoding::kByteStreamSplit:
      ByteStreamSplitEncode(staged_.data<uint8_t>(), n, width_, out);
      return Status::OK();
    default:
      return Status::NotSupported("column " + column_.name, "encoding");
  }
}

void ColumnChunkWriter::CountEncoding(PageType type, Encoding encoding) {
  if (std::find(encodings_.begin(), encodings_.end(), encoding) == encodings_.end()) {
    encodings_.push_back(encoding);
  }
  for (PageEncodingStats& s : encoding_stats_) {
    if (s.page_type == type && s.encoding == encoding) {
      s.count++;
      return;
    }
  }
  encoding_stats_.push_back({type, encoding, 1});
}

Status ColumnChunkWriter::WritePage(PageType type, Encoding encoding, const std::string& levels,
                                    const std::string& values, int32_t num_values,
                                    int32_t num_nulls, int32_t num_rows, const Statistics* stats,
                                    std::string* dst) {
  PageHeader header;
  header.type = type;
  compress_scratch_.clear();
  // v1 and dictionary pages compress levels and values together; v2 keeps the levels raw.
  const bool v2 = type == PageType::kDataPageV2;
  if (v2) {
    compress_scratch_.Append(levels.data(), levels.size());
  }
  const size_t uncompressed = levels.size() + values.size();
  if (v2 || levels.empty()) {
    Status s = codec_.Compress(reinterpret_cast<const uint8_t*>(values.data()), values.size(),
                               &compress_scratch_);
    if (!s.ok()) return s;
  } else {
    std::string joined;
    joined.reserve(uncompressed);
    joined.append(levels);
    joined.append(values);
    Status s = codec_.Compress(reinterpret_cast<const uint8_t*>(joined.data()), joined.size(),
                               &compress_scratch_);
    if (!s.ok()) return s;
  }
  if (uncompressed > 0x7fffffff || compress_scratch_.size() > 0x7fffffff) {
    return Status::InvalidArgument("column " + column_.name, "page larger than 2 GiB");
  }
  header.uncompressed_page_size = static_cast<int32_t>(uncompressed);
  header.compressed_page_size = static_cast<int32_t>(compress_scratch_.size());
  if (options_.page_crc) {
    header.crc = static_cast<int32_t>(
        crc32(0, compress_scratch_.data(), static_cast<uInt>(compress_scratch_.size())));
  }
  switch (type) {
    case PageType::kDictionaryPage: {
      DictionaryPageHeader d;
      d.num_values = num_values;
      d.encoding = Encoding::kPlain;
      header.dictionary_page_header = d;
      break;
    }
    case PageType::kDataPage: {
      DataPageHeader d;
      d.num_values = num_values;
      d.encoding = encoding;
      d.definition_level_encoding = Encoding::kRle;
      d.repetition_level_encoding = Encoding::kRle;
      if (stats != nullptr) d.statistics = *stats;
      header.data_page_header = d;
      break;
    }
    case PageType::kDataPageV2: {
      DataPageHeaderV2 d;
      d.num_values = num_values;
      d.num_nulls = num_nulls;
      d.num_rows = num_rows;
      d.encoding = encoding;
      d.definition_levels_byte_length = static_cast<int32_t>(levels.size());
      d.repetition_levels_byte_length = 0;
      d.is_compressed = codec_.id() != CompressionCodec::kUncompressed;
      if (stats != nullptr) d.statistics = *stats;
      header.data_page_header_v2 = d;
      break;
    }
    default:
      return Status::InvalidArgument("unexpected page type");
  }
  const size_t start = dst->size();
  header.Serialize(dst);
  const size_t header_bytes = dst->size() - start;
  dst->append(reinterpret_cast<const char*>(compress_scratch_.data()), compress_scratch_.size());
  uncompressed_bytes_ += header_bytes + uncompressed;
  CountEncoding(type == PageType::kDictionaryPage ? PageType::kDictionaryPage : type, encoding);
  return Status::OK();
}

Status ColumnChunkWriter::FlushPage() {
  if (page_rows_ == 0) return Status::OK();
  // The first page decides whether the dictionary pays; if not, it and every later page
  // use the fallback encoding and the chunk has no dictionary.
  if (dictionary_active_ && !dictionary_used_ && !DictionaryPays()) {
    StageFromDictionary();
    dictionary_active_ = false;
    dictionary_.reset();
  }
  const bool v2 = options_.data_page_version == 2;
  std::string levels;
  if (column_.optional) {
    Status s = v2 ? RleBitPackedEncode(levels_.data(), levels_.size(), 1, &levels)
                  : RleBitPackedEncodeWithLength(levels_.data(), levels_.size(), 1, &levels);
    if (!s.ok()) return s;
  }
  std::string values;
  Encoding encoding;
  if (dictionary_active_) {
    const int width = IndexBitWidth(dictionary_->size());
    values.push_back(static_cast<char>(width));
    Status s = RleBitPackedEncode(indices_.data(), indices_.size(), width, &values);
    if (!s.ok()) return s;
    encoding = Encoding::kRleDictionary;
    dictionary_used_ = true;
  } else {
    Status s = EncodeValues(&values);
    if (!s.ok()) return s;
    encoding = column_options_.encoding;
  }

  const std::optional<Statistics> stats =
      options_.statistics ? std::optional<Statistics>(page_stats_.ToThrift()) : std::nullopt;
  const size_t page_offset = pages_.size();
  Status s = WritePage(v2 ? PageType::kDataPageV2 : PageType::kDataPage, encoding, levels, values,
                       static_cast<int32_t>(page_rows_), static_cast<int32_t>(page_nulls_),
                       static_cast<int32_t>(page_rows_), stats ? &*stats : nullptr, &pages_);
  if (!s.ok()) return s;

  // Page index entries.
  PageLocation loc;
  loc.offset = static_cast<int64_t>(page_offset);
  loc.compressed_page_size = static_cast<int32_t>(pages_.size() - page_offset);
  loc.first_row_index = num_values_;
  offset_index_.page_locations.push_back(loc);
  if (options_.statistics) {
    const bool null_page = !page_stats_.has_bounds();
    column_index_.null_pages.push_back(null_page);
    std::string lo = null_page ? std::string() : page_stats_.EncodedMin();
    std::string hi = null_page ? std::string() : page_stats_.EncodedMax();
    if (!null_page) {
      // Boundary order over the non-null pages, from consecutive bounds.
      for (size_t i = column_index_.min_values.size(); i-- > 0;) {
        if (column_index_.null_pages[i]) continue;
        if (page_stats_.CompareEncoded(lo, column_index_.min_values[i]) < 0 ||
            page_stats_.CompareEncoded(hi, column_index_.max_values[i]) < 0) {
          index_ascending_ = false;
        }
        if (page_stats_.CompareEncoded(lo, column_index_.min_values[i]) > 0 ||
            page_stats_.CompareEncoded(hi, column_index_.max_values[i]) > 0) {
          index_descending_ = false;
        }
        break;
      }
    }
    column_index_.min_values.push_back(std::move(lo));
    column_index_.max_values.push_back(std::move(hi));
    if (!column_index_.null_counts) column_index_.null_counts.emplace();
    column_index_.null_counts->push_back(page_stats_.null_count());
  }
  chunk_stats_.Merge(page_stats_);
  num_values_ += static_cast<int64_t>(page_rows_);
  pages_written_++;
  levels_.clear();
  indices_.clear();
  staged_.Clear();
  plain_page_.clear();
  page_rows_ = 0;
  page_nulls_ = 0;
  page_stats_.Reset();
  return Status::OK();
}

Status ColumnChunkWriter::Finish(FinishedChunk* out) {
  Status s = FlushPage();
  if (!s.ok()) return s;
  out->bytes.clear();
  ColumnMetaData& meta = out->meta;
  meta = ColumnMetaData();
  meta.type = column_.physical;
  meta.path_in_schema = {column_.name};
  meta.codec = codec_.id();
  meta.num_values = num_values_;

  size_t data_start = 0;
  if (dictionary_used_) {
    std::string dict;
    dictionary_->WritePlain(&dict);
    s = WritePage(PageType::kDictionaryPage, Encoding::kPlain, std::string(), dict,
                  static_cast<int32_t>(dictionary_->size()), 0, 0, nullptr, &out->bytes);
    if (!s.ok()) return s;
    meta.dictionary_page_offset = 0;
    data_start = out->bytes.size();
  }
  out->bytes.append(pages_);
  meta.data_page_offset = static_cast<int64_t>(data_start);
  meta.total_compressed_size = static_cast<int64_t>(out->bytes.size());
  meta.total_uncompressed_size = static_cast<int64_t>(uncompressed_bytes_);
  meta.encodings = encodings_;
  // The levels' encoding is listed too, as other writers do, when the pages have levels.
  if (column_.optional) meta.encodings.push_back(Encoding::kRle);
  meta.encoding_stats = encoding_stats_;
  if (options_.statistics) meta.statistics = chunk_stats_.ToThrift();

  out->offset_index = offset_index_;
  for (PageLocation& loc : out->offset_index.page_locations) {
    loc.offset += static_cast<int64_t>(data_start);
  }
  column_index_.boundary_order = index_ascending_    ? BoundaryOrder::kAscending
                                 : index_descending_ ? BoundaryOrder::kDescending
                                                     : BoundaryOrder::kUnordered;
  if (options_.statistics) {
    out->column_index = column_index_;
  } else {
    out->column_index.reset();
  }

  out->bloom_filter.reset();
  if (column_options_.bloom_filter) {
    std::sort(bloom_hashes_.begin(), bloom_hashes_.end());
    bloom_hashes_.erase(std::unique(bloom_hashes_.begin(), bloom_hashes_.end()),
                        bloom_hashes_.end());
    SplitBlockBloomFilter filter(
        SplitBlockBloomFilter::OptimalBytes(bloom_hashes_.size(), options_.bloom_filter_fpp));
    for (uint64_t h : bloom_hashes_) filter.Insert(h);
    out->bloom_filter = filter.bitset();
  }
  Reset();
  return Status::OK();
}

}  // namespace strata::parquet
