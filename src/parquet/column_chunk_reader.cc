#include "parquet/column_chunk_reader.h"

#include <algorithm>
#include <cstring>

namespace strata::parquet {

namespace {

// Gathers dictionary values of a fixed width.
template <typename T>
void Gather(const uint8_t* dict, const uint32_t* indices, size_t n, uint8_t* out) {
  const T* d = reinterpret_cast<const T*>(dict);
  T* o = reinterpret_cast<T*>(out);
  for (size_t i = 0; i < n; i++) std::memcpy(o + i, d + indices[i], sizeof(T));
}

}  // namespace

ColumnChunkReader::ColumnChunkReader(const RandomAccessFile* file, std::string name,
                                     const ColumnSpec& column, const ColumnMetaData& chunk,
                                     uint64_t start, uint64_t length)
    : name_(name + ": column " + column.name),
      column_(column),
      width_(FixedWidth(column.physical, column.type_length)),
      total_values_(chunk.num_values),
      pages_(file, name_, start, length, chunk.codec) {}

Status ColumnChunkReader::Init() { return pages_.Init(); }

Status ColumnChunkReader::Corrupt(const std::string& what) const {
  return Status::Corruption(name_, what);
}

Status ColumnChunkReader::ReadDictionary(const Page& page) {
  if (has_dictionary_)
    return Corrupt("second dictionary page at byte " + std::to_string(page.offset));
  if (!page.header.dictionary_page_header) {
    return Corrupt("dictionary page without its header at byte " + std::to_string(page.offset));
  }
  const DictionaryPageHeader& d = *page.header.dictionary_page_header;
  if (d.encoding != Encoding::kPlain && d.encoding != Encoding::kPlainDictionary) {
    return Status::NotSupported(name_, "dictionary page encoding " + EnumName(d.encoding));
  }
  if (d.num_values < 0)
    return Corrupt("negative dictionary size at byte " + std::to_string(page.offset));
  const auto n = static_cast<size_t>(d.num_values);
  PlainDecoder plain(page.values, page.values_size);
  Status s;
  if (width_ == 0) {
    // Each value takes at least its 4-byte length: bound n before allocating.
    if (n > page.values_size / 4)
      return Corrupt("dictionary claims more values than its page holds");
    std::vector<std::string_view> views(n);
    s = plain.GetByteArrays(views.data(), n);
    if (!s.ok())
      return Corrupt("dictionary page at byte " + std::to_string(page.offset) + ": " +
                     s.ToString());
    size_t total = 0;
    for (const auto& v : views) total += v.size();
    dict_bytes_.clear();
    dict_bytes_.reserve(total);
    for (const auto& v : views) dict_bytes_.append(v.data(), v.size());
    dict_views_.resize(n);
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
      dict_views_[i] = std::string_view(dict_bytes_.data() + at, views[i].size());
      at += views[i].size();
    }
  } else {
    const size_t bits_per_value = column_.physical == Type::kBoolean ? 1 : width_ * 8;
    if (n > page.values_size * 8 / bits_per_value) {
      return Corrupt("dictionary claims more values than its page holds");
    }
    dict_fixed_.resize(n * width_);
    switch (column_.physical) {
      case Type::kBoolean:
        s = plain.GetBooleans(dict_fixed_.data(), n);
        break;
      case Type::kInt32:
        s = plain.Get(reinterpret_cast<int32_t*>(dict_fixed_.data()), n);
        break;
      case Type::kInt64:
        s = plain.Get(reinterpret_cast<int64_t*>(dict_fixed_.data()), n);
        break;
      case Type::kFloat:
        s = plain.Get(reinterpret_cast<float*>(dict_fixed_.data()), n);
        break;
      case Type::kDouble:
        s = plain.Get(reinterpret_cast<double*>(dict_fixed_.data()), n);
        break;
      default: {
        std::vector<std::string_view> views(n);
        s = plain.GetFixedLenByteArrays(views.data(), n, width_);
        for (size_t i = 0; s.ok() && i < n; i++) {
          std::memcpy(dict_fixed_.data() + i * width_, views[i].data(), width_);
        }
        break;
      }
    }
    if (!s.ok())
      return Corrupt("dictionary page at byte " + std::to_string(page.offset) + ": " +
                     s.ToString());
  }
  dict_size_ = n;
  has_dictionary_ = true;
  return Status::OK();
}

Status ColumnChunkReader::StartValues(Encoding encoding, const uint8_t* data, size_t size) {
  const Type t = column_.physical;
  auto unsupported = [&] {
    return Status::NotSupported(name_, EnumName(encoding) + " for this physical type");
  };
  switch (encoding) {
    case Encoding::kPlain:
      decoder_ = ValueDecoder::kPlain;
      plain_ = PlainDecoder(data, size);
      return Status::OK();
    case Encoding::kPlainDictionary:
    case Encoding::kRleDictionary: {
      if (!has_dictionary_) return Corrupt("dictionary-encoded page without a dictionary page");
      if (size < 1) return Corrupt("dictionary-encoded page without its bit width");
      decoder_ = ValueDecoder::kDictionary;
      Status s = indices_.Init(data + 1, size - 1, data[0]);
      if (!s.ok()) return Corrupt("dictionary indices: " + s.ToString());
      return Status::OK();
    }
    case Encoding::kRle: {
      if (t != Type::kBoolean) return unsupported();
      auto runs = ParseRleLengthPrefix(data, size);
      if (!runs.ok()) return Corrupt("RLE booleans: " + runs.status().ToString());
      decoder_ = ValueDecoder::kRleBoolean;
      return rle_booleans_.Init(data + kRleLengthPrefixSize, *runs, 1);
    }
    case Encoding::kDeltaBinaryPacked: {
      decoder_ = ValueDecoder::kDeltaBinaryPacked;
      Status s;
      if (t == Type::kInt32) {
        s = delta32_.Init(data, size);
      } else if (t == Type::kInt64) {
        s = delta64_.Init(data, size);
      } else {
        return unsupported();
      }
      return s.ok() ? s : Corrupt(s.ToString());
    }
    case Encoding::kDeltaLengthByteArray: {
      if (t != Type::kByteArray) return unsupported();
      decoder_ = ValueDecoder::kDeltaLengthByteArray;
      Status s = delta_length_.Init(data, size);
      return s.ok() ? s : Corrupt(s.ToString());
    }
    case Encoding::kDeltaByteArray: {
      if (t != Type::kByteArray && t != Type::kFixedLenByteArray) return unsupported();
      decoder_ = ValueDecoder::kDeltaByteArray;
      Status s = delta_bytes_.Init(data, size);
      return s.ok() ? s : Corrupt(s.ToString());
    }
    case Encoding::kByteStreamSplit: {
      if (width_ == 0 || t == Type::kBoolean) return unsupported();
      decoder_ = ValueDecoder::kByteStreamSplit;
      Status s = split_.Init(data, size, width_);
      return s.ok() ? s : Corrupt(s.ToString());
    }
    default:
      return Status::NotSupported(name_, "data page encoding " + EnumName(encoding));
  }
}

Status ColumnChunkReader::NextDataPage() {
  while (true) {
    auto more = pages_.Next(&page_);
    if (!more.ok()) return more.status();
    if (!*more) {
      return Corrupt("the column chunk ends after " + std::to_string(values_read_) + " of " +
                     std::to_string(total_values_) + " values");
    }
    const PageHeader& h = page_.header;
    const std::string at = " at byte " + std::to_string(page_.offset);
    int32_t num_values = 0;
    Encoding encoding = Encoding::kPlain;
    const uint8_t* values = page_.values;
    size_t values_size = page_.values_size;
    has_levels_ = false;
    switch (h.type) {
      case PageType::kDictionaryPage: {
        Status s = ReadDictionary(page_);
        if (!s.ok()) return s;
        continue;
      }
      case PageType::kDataPage: {
        if (!h.data_page_header) return Corrupt("DATA_PAGE without its header" + at);
        const DataPageHeader& d = *h.data_page_header;
        num_values = d.num_values;
        encoding = d.encoding;
        if (column_.optional) {
          if (d.definition_level_encoding != Encoding::kRle) {
            return Status::NotSupported(
                name_, "definition levels in " + EnumName(d.definition_level_encoding));
          }
          auto runs = ParseRleLengthPrefix(values, values_size);
          if (!runs.ok())
            return Corrupt("definition levels" + at + ": " + runs.status().ToString());
          Status s = levels_.Init(values + kRleLengthPrefixSize, *runs, 1);
          if (!s.ok()) return s;
          has_levels_ = true;
          values += kRleLengthPrefixSize + *runs;
          values_size -= kRleLengthPrefixSize + *runs;
        }
        break;
      }
      case PageType::kDataPageV2: {
        const DataPageHeaderV2& d = *h.data_page_header_v2;  // checked by PageReader
        num_values = d.num_values;
        encoding = d.encoding;
        if (d.num_rows != d.num_values) return Corrupt("DATA_PAGE_V2 rows and values differ" + at);
        if (column_.optional) {
          Status s = levels_.Init(page_.levels, page_.levels_size, 1);
          if (!s.ok()) return s;
          has_levels_ = true;
        }
        break;
      }
      default:
        continue;  // index pages and unknown page types carry no rows
    }
    if (num_values < 0 || num_values > total_values_ - values_read_) {
      return Corrupt("page of " + std::to_string(num_values) + " values" + at + " overruns the " +
                     std::to_string(total_values_) + " of the chunk");
    }
    if (num_values == 0) continue;
    Status s = StartValues(encoding, values, values_size);
    if (!s.ok()) return s;
    page_rows_left_ = static_cast<size_t>(num_values);
    return Status::OK();
  }
}

Status ColumnChunkReader::DecodeValues(size_t count) {
  const std::string at = " in the page at byte " + std::to_string(page_.offset);
  auto short_read = [&](size_t got) {
    return Corrupt("page ended after " + std::to_string(got) + " of " + std::to_string(count) +
                   " values" + at);
  };
  if (width_ == 0)
    views_.Resize(count);
  else
    dense_.resize(count * width_);
  Status s;
  switch (decoder_) {
    case ValueDecoder::kPlain:
      switch (column_.physical) {
        case Type::kBoolean:
          s = plain_.GetBooleans(dense_.data(), count);
          break;
        case Type::kInt32:
          s = plain_.Get(reinterpret_cast<int32_t*>(dense_.data()), count);
          break;
        case Type::kInt64:
          s = plain_.Get(reinterpret_cast<int64_t*>(dense_.data()), count);
          break;
        case Type::kFloat:
          s = plain_.Get(reinterpret_cast<float*>(dense_.data()), count);
          break;
        case Type::kDouble:
          s = plain_.Get(reinterpret_cast<double*>(dense_.data()), count);
          break;
        case Type::kByteArray:
          s = plain_.GetByteArrays(views_.data(), count);
          break;
        default: {
          row_views_.Resize(count);
          s = plain_.GetFixedLenByteArrays(row_views_.data(), count, width_);
          for (size_t i = 0; s.ok() && i < count; i++) {
            std::memcpy(dense_.data() + i * width_, row_views_[i].data(), width_);
          }
          break;
        }
      }
      if (!s.ok()) return Corrupt(s.ToString() + at);
      return Status::OK();
    case ValueDecoder::kDictionary: {
      index_scratch_.resize(count);
      auto got =
          indices_.GetIndices(index_scratch_.data(), count, static_cast<uint32_t>(dict_size_));
      if (!got.ok()) return Corrupt(got.status().ToString() + at);
      if (*got != count) return short_read(*got);
      const uint32_t* idx = index_scratch_.data();
      if (width_ == 0) {
        for (size_t i = 0; i < count; i++) views_[i] = dict_views_[idx[i]];
      } else if (width_ == 8) {
        Gather<uint64_t>(dict_fixed_.data(), idx, count, dense_.data());
      } else if (width_ == 4) {
        Gather<uint32_t>(dict_fixed_.data(), idx, count, dense_.data());
      } else {
        for (size_t i = 0; i < count; i++) {
          std::memcpy(dense_.data() + i * width_, dict_fixed_.data() + size_t{idx[i]} * width_,
                      width_);
        }
      }
      return Status::OK();
    }
    case ValueDecoder::kRleBoolean: {
      index_scratch_.resize(count);
      auto got = rle_booleans_.GetBatch(index_scratch_.data(), count);
      if (!got.ok()) return Corrupt(got.status().ToString() + at);
      if (*got != count) return short_read(*got);
      for (size_t i = 0; i < count; i++) dense_.data()[i] = index_scratch_[i] != 0;
      return Status::OK();
    }
    case ValueDecoder::kDeltaBinaryPacked: {
      Result<size_t> got =
          column_.physical == Type::kInt32
              ? delta32_.GetBatch(reinterpret_cast<int32_t*>(dense_.data()), count)
              : delta64_.GetBatch(reinterpret_cast<int64_t*>(dense_.data()), count);
      if (!got.ok()) return Corrupt(got.status().ToString() + at);
      if (*got != count) return short_read(*got);
      return Status::OK();
    }
    case ValueDecoder::kDeltaLengthByteArray: {
      auto got = delta_length_.GetBatch(views_.data(), count);
      if (!got.ok()) return Corrupt(got.status().ToString() + at);
      if (*got != count) return short_read(*got);
      return Status::OK();
    }
    case ValueDecoder::kDeltaByteArray: {
      std::string_view* out = width_ == 0 ? views_.data() : nullptr;
      if (width_ != 0) {
        row_views_.Resize(count);
        out = row_views_.data();
      }
      arena_ = std::make_unique<Arena>();  // the previous batch's values were copied out
      size_t done = 0;
      while (done < count) {
        auto got = delta_bytes_.GetBatch(out + done, count - done, arena_.get());
        if (!got.ok()) return Corrupt(got.status().ToString() + at);
        if (*got == 0) return short_read(done);
        done += *got;
      }
      if (width_ != 0) {
        for (size_t i = 0; i < count; i++) {
          if (out[i].size() != width_)
            return Corrupt("FIXED_LEN_BYTE_ARRAY value of the wrong length" + at);
          std::memcpy(dense_.data() + i * width_, out[i].data(), width_);
        }
      }
      return Status::OK();
    }
    case ValueDecoder::kByteStreamSplit: {
      auto got = split_.GetBatch(dense_.data(), count);
      if (!got.ok()) return Corrupt(got.status().ToString() + at);
      if (*got != count) return short_read(*got);
      return Status::OK();
    }
  }
  return Status::OK();
}

Status ColumnChunkReader::Read(size_t n, ColumnVector* out) {
  while (n > 0) {
    if (page_rows_left_ == 0) {
      Status s = NextDataPage();
      if (!s.ok()) return s;
    }
    const size_t k = std::min(n, page_rows_left_);
    size_t valid_count = k;
    const uint8_t* valid = nullptr;
    if (has_levels_) {
      valid_.resize(k);
      size_t at_max = 0;
      auto got = levels_.GetLevels(valid_.data(), k, 1, &at_max);
      if (!got.ok()) return Corrupt("definition levels: " + got.status().ToString());
      if (*got != k)
        return Corrupt("definition levels end early in the page at byte " +
                       std::to_string(page_.offset));
      valid_count = at_max;
      if (valid_count < k) valid = valid_.data();
    }
    Status s = DecodeValues(valid_count);
    if (!s.ok()) return s;
    if (width_ > 0) {
      uint8_t* dst = out->ExtendFixed(k);
      if (valid == nullptr) {
        std::memcpy(dst, dense_.data(), k * width_);
      } else {
        const uint8_t* src = dense_.data();
        for (size_t i = 0; i < k; i++) {
          if (valid[i]) {
            std::memcpy(dst + i * width_, src, width_);
            src += width_;
          } else {
            std::memset(dst + i * width_, 0, width_);
          }
        }
      }
    } else if (valid == nullptr) {
      out->AppendByteArrays(views_.data(), k);
    } else {
      row_views_.Resize(k);
      size_t j = 0;
      for (size_t i = 0; i < k; i++) row_views_[i] = valid[i] ? views_[j++] : std::string_view();
      out->AppendByteArrays(row_views_.data(), k);
    }
    if (valid != nullptr) out->SetValidity(valid, k);
    n -= k;
    page_rows_left_ -= k;
    values_read_ += static_cast<int64_t>(k);
  }
  return Status::OK();
}

}  // namespace strata::parquet
