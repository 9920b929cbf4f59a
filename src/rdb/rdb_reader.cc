#include "rdb/rdb_reader.h"

#include <algorithm>

#include "base/crc64.h"
#include "base/escape.h"
#include "rdb/lzf_stream.h"
#include "rdb/rdb_format.h"

namespace strata::rdb {

RdbReader::RdbReader(ByteSource* source, std::string name, size_t chunk_bytes)
    : source_(source),
      name_(std::move(name)),
      capacity_(std::max(chunk_bytes, kMinChunkBytes)),
      buf_(std::make_unique<char[]>(capacity_)),
      pos_(buf_.get()),
      limit_(buf_.get()),
      crc_mark_(buf_.get()) {}

RdbReader::~RdbReader() = default;

void RdbReader::FoldChecksum() {
  if (crc_enabled_ && pos_ > crc_mark_) {
    crc_ = crc64::Extend(crc_, crc_mark_, static_cast<size_t>(pos_ - crc_mark_));
  }
  crc_mark_ = pos_;
}

uint64_t RdbReader::Checksum() {
  FoldChecksum();
  return crc_;
}

Status RdbReader::Fill(size_t need) {
  if (static_cast<size_t>(limit_ - pos_) >= need) return Status::OK();
  // Consumed bytes leave the buffer now, so they must be folded into the CRC first.
  FoldChecksum();
  char* const start = buf_.get();
  const size_t keep = static_cast<size_t>(limit_ - pos_);
  if (pos_ != start && keep > 0) std::memmove(start, pos_, keep);
  base_offset_ += static_cast<uint64_t>(pos_ - start);
  pos_ = start;
  crc_mark_ = start;
  char* write = start + keep;
  while (static_cast<size_t>(write - start) < need && !eof_) {
    Result<size_t> got = source_->Read(write, capacity_ - static_cast<size_t>(write - start));
    if (!got.ok()) {
      limit_ = write;
      return Status::IOError(name_ + " at byte " + std::to_string(offset()),
                             got.status().message());
    }
    if (*got == 0) {
      eof_ = true;
    } else {
      write += *got;
      bytes_read_.fetch_add(*got, std::memory_order_relaxed);
    }
  }
  limit_ = write;
  if (static_cast<size_t>(limit_ - pos_) < need) {
    return Corruption("unexpected end of input (the stream is truncated)");
  }
  return Status::OK();
}

Status RdbReader::ReadExactSlow(char* dst, size_t n) {
  while (n > 0) {
    if (pos_ == limit_) {
      Status s = Fill(1);
      if (!s.ok()) return s;
    }
    const size_t take = std::min(n, static_cast<size_t>(limit_ - pos_));
    std::memcpy(dst, pos_, take);
    pos_ += take;
    dst += take;
    n -= take;
  }
  return Status::OK();
}

Status RdbReader::Skip(uint64_t n) {
  while (n > 0) {
    if (pos_ == limit_) {
      Status s = Fill(1);
      if (!s.ok()) return s;
    }
    const uint64_t take = std::min<uint64_t>(n, static_cast<uint64_t>(limit_ - pos_));
    pos_ += take;
    n -= take;
  }
  return Status::OK();
}

Status RdbReader::ReadSome(uint64_t max, Slice* out) {
  if (pos_ == limit_) {
    Status s = Fill(1);
    if (!s.ok()) return s;
  }
  const size_t take = static_cast<size_t>(std::min<uint64_t>(max, limit_ - pos_));
  *out = Slice(pos_, take);
  pos_ += take;
  return Status::OK();
}

Status RdbReader::ReadUpTo(char* dst, size_t n, size_t* got) {
  *got = 0;
  while (*got < n) {
    if (pos_ == limit_) {
      if (eof_) break;
      Status s = Fill(1);
      if (!s.ok()) {
        if (eof_ && s.IsCorruption()) break;  // the end of the input, not an error here
        return s;
      }
    }
    const size_t take = std::min(n - *got, static_cast<size_t>(limit_ - pos_));
    std::memcpy(dst + *got, pos_, take);
    pos_ += take;
    *got += take;
  }
  return Status::OK();
}

Status RdbReader::ReadU32LE(uint32_t* v) {
  char b[4];
  Status s = ReadExact(b, 4);
  if (s.ok()) std::memcpy(v, b, 4);  // little-endian host (see base/coding.h)
  return s;
}

Status RdbReader::ReadU64LE(uint64_t* v) {
  char b[8];
  Status s = ReadExact(b, 8);
  if (s.ok()) std::memcpy(v, b, 8);
  return s;
}

Status RdbReader::ReadLengthSlow(uint64_t* len, bool* encoded) {
  uint8_t first = 0;
  Status s = ReadByte(&first);
  if (!s.ok()) return s;
  *encoded = false;
  switch (first >> 6) {
    case kLenEncoded:
      *encoded = true;
      *len = first & 0x3F;
      return Status::OK();
    case kLen6Bit:
      *len = first & 0x3F;
      return Status::OK();
    case kLen14Bit: {
      uint8_t second = 0;
      s = ReadByte(&second);
      if (!s.ok()) return s;
      *len = (static_cast<uint64_t>(first & 0x3F) << 8) | second;
      return Status::OK();
    }
    default:
      break;
  }
  if (first == kLen32Bit || first == kLen64Bit) {
    const size_t width = first == kLen32Bit ? 4 : 8;
    unsigned char b[8];
    s = ReadExact(reinterpret_cast<char*>(b), width);
    if (!s.ok()) return s;
    uint64_t v = 0;
    for (size_t i = 0; i < width; i++) v = (v << 8) | b[i];  // big-endian
    *len = v;
    return Status::OK();
  }
  char hex[8];
  std::snprintf(hex, sizeof(hex), "0x%02x", first);
  return Corruption(std::string("invalid length encoding byte ") + hex);
}

Status RdbReader::ReadPlainLength(uint64_t* len, const char* what) {
  bool encoded;
  Status s = ReadLength(len, &encoded);
  if (!s.ok()) return s;
  if (encoded) {
    return Corruption(std::string(what) + " is a special string encoding, not a length");
  }
  return Status::OK();
}

Status RdbReader::ReadStringHeader(StringHeader* h) {
  uint64_t len;
  bool encoded;
  Status s = ReadLength(&len, &encoded);
  if (!s.ok()) return s;
  if (!encoded) {
    h->kind = StringHeader::Kind::kRaw;
    h->length = len;
    h->stored_length = len;
    return Status::OK();
  }
  if (len == kEncLzf) {
    uint64_t clen, ulen;
    s = ReadPlainLength(&clen, "LZF compressed length");
    if (!s.ok()) return s;
    s = ReadPlainLength(&ulen, "LZF uncompressed length");
    if (!s.ok()) return s;
    if (clen == 0 || ulen == 0) return Corruption("LZF string with a zero length");
    h->kind = StringHeader::Kind::kLzf;
    h->length = ulen;
    h->stored_length = clen;
    return Status::OK();
  }
  unsigned char b[4];
  int64_t v;
  switch (len) {
    case kEncInt8:
      s = ReadExact(reinterpret_cast<char*>(b), 1);
      v = static_cast<int8_t>(b[0]);
      h->stored_length = 1;
      break;
    case kEncInt16:
      s = ReadExact(reinterpret_cast<char*>(b), 2);
      v = static_cast<int16_t>(static_cast<uint16_t>(b[0] | (b[1] << 8)));
      h->stored_length = 2;
      break;
    case kEncInt32:
      s = ReadExact(reinterpret_cast<char*>(b), 4);
      v = static_cast<int32_t>(static_cast<uint32_t>(b[0]) | (static_cast<uint32_t>(b[1]) << 8) |
                               (static_cast<uint32_t>(b[2]) << 16) |
                               (static_cast<uint32_t>(b[3]) << 24));
      h->stored_length = 4;
      break;
    default:
      return Corruption("unknown string encoding " + std::to_string(len));
  }
  if (!s.ok()) return s;
  h->kind = StringHeader::Kind::kInt;
  h->int_value = v;
  h->length = static_cast<uint64_t>(DecimalLength(v));
  return Status::OK();
}

Status RdbReader::ReadString(std::string* out, uint64_t max_length, const char* what) {
  StringHeader h;
  Status s = ReadStringHeader(&h);
  if (!s.ok()) return s;
  out->clear();
  if (h.length > max_length) {
    return Corruption(std::string(what) + " length " + std::to_string(h.length) +
                      " exceeds the limit of " + std::to_string(max_length) + " bytes");
  }
  switch (h.kind) {
    case StringHeader::Kind::kInt:
      *out = std::to_string(h.int_value);
      return Status::OK();
    case StringHeader::Kind::kRaw: {
      // Appending what arrives (rather than resizing to the declared length first) keeps a
      // lying length from allocating memory the input does not back.
      uint64_t remaining = h.length;
      while (remaining > 0) {
        Slice chunk;
        s = ReadSome(remaining, &chunk);
        if (!s.ok()) return s;
        out->append(chunk.data(), chunk.size());
        remaining -= chunk.size();
      }
      return Status::OK();
    }
    case StringHeader::Kind::kLzf: {
      if (lzf_ == nullptr) lzf_ = std::make_unique<LzfStream>();
      lzf_->Start(this, h.stored_length, h.length);
      while (!lzf_->done()) {
        Slice chunk;
        s = lzf_->Next(LzfStream::kMaxWant, &chunk);
        if (!s.ok()) return s;
        out->append(chunk.data(), chunk.size());
      }
      return lzf_->Finish();
    }
  }
  return Status::OK();
}

Status RdbReader::MakeError(bool corruption, std::string_view what) const {
  std::string msg = name_ + ": ";
  msg.append(what);
  msg += " at byte " + std::to_string(offset());
  if (key_ != nullptr) {
    msg += " in key " + QuoteBytes(*key_, kKeyBytesShown) + " (value at byte " +
           std::to_string(value_offset_) + ")";
  }
  return corruption ? Status::Corruption(msg) : Status::NotSupported(msg);
}

int DecimalLength(int64_t v) {
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  int n = v < 0 ? 2 : 1;
  while (u >= 10) {
    u /= 10;
    n++;
  }
  return n;
}

}  // namespace strata::rdb
