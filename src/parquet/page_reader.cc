#include "parquet/page_reader.h"

#include <zlib.h>

#include <algorithm>

namespace strata::parquet {

namespace {

// First guess at a page header's size; most are under 100 bytes, statistics make some
// longer, and the window grows until the header parses or the chunk ends.
constexpr size_t kHeaderWindow = 256;

}  // namespace

PageReader::PageReader(const RandomAccessFile* file, std::string name, uint64_t start,
                       uint64_t length, CompressionCodec codec)
    : file_(file), name_(std::move(name)), end_(start + length), codec_id_(codec), pos_(start) {}

Status PageReader::Init() {
  auto codec = Codec::Make(codec_id_);
  if (!codec.ok()) return Status(codec.status());
  codec_ = std::move(*codec);
  return Status::OK();
}

Status PageReader::Corrupt(uint64_t offset, const std::string& what) const {
  return Status::Corruption(name_, what + " at byte " + std::to_string(offset));
}

Status PageReader::ReadAt(uint64_t offset, size_t n, Buffer* into) {
  into->resize(n);
  Slice got;
  Status s = file_->Read(offset, n, &got, reinterpret_cast<char*>(into->data()));
  if (!s.ok()) return s;
  if (got.size() != n) return Corrupt(offset, "file ends inside a page");
  if (got.data() != reinterpret_cast<const char*>(into->data())) {
    std::memcpy(into->data(), got.data(), n);  // an mmap'd file returned its own memory
  }
  return Status::OK();
}

Status PageReader::ReadHeader(PageHeader* header, size_t* header_size) {
  size_t window = std::min<uint64_t>(kHeaderWindow, end_ - pos_);
  while (true) {
    Status s = ReadAt(pos_, window, &raw_);
    if (!s.ok()) return s;
    s = header->Deserialize(Slice(reinterpret_cast<const char*>(raw_.data()), window),
                            name_ + ": page header", pos_, header_size);
    if (s.ok()) return s;
    // A header cut by the window reads as truncated; try a larger one, up to the chunk end.
    if (window == end_ - pos_) return s;
    window = std::min<uint64_t>(window * 4, end_ - pos_);
  }
}

Result<bool> PageReader::Next(Page* page) {
  if (pos_ >= end_) return false;
  const uint64_t header_offset = pos_;
  size_t header_size = 0;
  Status s = ReadHeader(&page->header, &header_size);
  if (!s.ok()) return s;
  const PageHeader& h = page->header;
  page->offset = header_offset;
  if (h.compressed_page_size < 0 || h.uncompressed_page_size < 0) {
    return Corrupt(header_offset, "negative page size");
  }
  const uint64_t body = header_offset + header_size;
  const auto compressed = static_cast<uint64_t>(h.compressed_page_size);
  const auto uncompressed = static_cast<uint64_t>(h.uncompressed_page_size);
  if (compressed > end_ - body) {
    return Corrupt(header_offset, "page of " + std::to_string(compressed) +
                                      " bytes runs past the column chunk's end " +
                                      std::to_string(end_));
  }
  if (uncompressed > kSmallPageLimit && uncompressed / kMaxCompressionRatio > compressed) {
    return Corrupt(header_offset, "page claims " + std::to_string(uncompressed) +
                                      " uncompressed bytes from " + std::to_string(compressed));
  }
  s = ReadAt(body, compressed, &raw_);
  if (!s.ok()) return s;
  pos_ = body + compressed;
  if (h.crc) {
    const uint32_t crc = crc32(0, raw_.data(), static_cast<uInt>(compressed));
    if (crc != static_cast<uint32_t>(*h.crc)) return Corrupt(header_offset, "page CRC mismatch");
  }

  const bool is_v2 = h.type == PageType::kDataPageV2;
  if (is_v2) {
    if (!h.data_page_header_v2) return Corrupt(header_offset, "DATA_PAGE_V2 without its header");
    const DataPageHeaderV2& v2 = *h.data_page_header_v2;
    if (v2.definition_levels_byte_length < 0 || v2.repetition_levels_byte_length < 0) {
      return Corrupt(header_offset, "negative level length");
    }
    const uint64_t levels = static_cast<uint64_t>(v2.definition_levels_byte_length) +
                            static_cast<uint64_t>(v2.repetition_levels_byte_length);
    if (levels > compressed || levels > uncompressed) {
      return Corrupt(header_offset, "levels longer than the page");
    }
    // Repetition levels come first; flat columns have none, and any present are skipped.
    page->levels = raw_.data() + v2.repetition_levels_byte_length;
    page->levels_size = static_cast<size_t>(v2.definition_levels_byte_length);
    const uint8_t* values = raw_.data() + levels;
    const size_t values_compressed = compressed - levels;
    const size_t values_plain = uncompressed - levels;
    if (!v2.compressed() || codec_id_ == CompressionCodec::kUncompressed) {
      if (values_compressed != values_plain) {
        return Corrupt(header_offset, "uncompressed page sizes disagree");
      }
      page->values = values;
      page->values_size = values_plain;
      return true;
    }
    plain_.resize(values_plain);
    s = codec_.Decompress(values, values_compressed, plain_.data(), values_plain);
    if (!s.ok()) return Corrupt(header_offset, "page: " + s.ToString());
    page->values = plain_.data();
    page->values_size = values_plain;
    return true;
  }

  page->levels = nullptr;
  page->levels_size = 0;
  if (codec_id_ == CompressionCodec::kUncompressed) {
    if (compressed != uncompressed)
      return Corrupt(header_offset, "uncompressed page sizes disagree");
    page->values = raw_.data();
    page->values_size = compressed;
    return true;
  }
  plain_.resize(uncompressed);
  s = codec_.Decompress(raw_.data(), compressed, plain_.data(), uncompressed);
  if (!s.ok()) return Corrupt(header_offset, "page: " + s.ToString());
  page->values = plain_.data();
  page->values_size = uncompressed;
  return true;
}

}  // namespace strata::parquet
