// The two small fixed-purpose containers: intsets (sets of integers) and zipmaps (hashes
// written by Redis before 2.6).
//
// Intset: encoding u32 LE (bytes per integer: 2, 4 or 8), count u32 LE, then count signed
// little-endian integers in strictly ascending order.
//
// Zipmap: count u8 (254 or more: unknown, walk to count), then entries until 0xFF:
//   key-length key value-length free value [free bytes]
// where a length is one byte (< 254) or 0xFE plus a 4-byte little-endian length, and free is
// one byte giving the unused bytes that follow the value.
#include "rdb/container_walkers.h"

namespace strata::rdb {

namespace {

uint64_t LittleEndian(const uint8_t* b, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--) v = (v << 8) | b[i];
  return v;
}

constexpr uint8_t kZipmapBigLen = 254;
constexpr uint8_t kZipmapEnd = 255;

// Reads a zipmap length; *end is set (and *len untouched) at the end marker.
Status ReadZipmapLength(ContainerReader* c, uint64_t* len, bool* end) {
  uint8_t b = 0;
  Status s = c->ReadByte(&b);
  if (!s.ok()) return s;
  *end = b == kZipmapEnd;
  if (*end) return Status::OK();
  if (b < kZipmapBigLen) {
    *len = b;
    return Status::OK();
  }
  uint8_t w[4];
  s = c->Read(w, 4);
  if (!s.ok()) return s;
  *len = LittleEndian(w, 4);
  return Status::OK();
}

}  // namespace

Status WalkIntset(ContainerReader* c, bool header_only, ContainerStats* stats) {
  *stats = ContainerStats();
  uint8_t header[8];
  if (c->size() < sizeof(header)) {
    return c->Corruption("too small for an intset (" + std::to_string(c->size()) + " bytes)");
  }
  Status s = c->Read(header, sizeof(header));
  if (!s.ok()) return s;
  const uint32_t width = static_cast<uint32_t>(LittleEndian(header, 4));
  const uint32_t count = static_cast<uint32_t>(LittleEndian(header + 4, 4));
  if (width != 2 && width != 4 && width != 8) {
    return c->Corruption("invalid intset encoding " + std::to_string(width));
  }
  if (sizeof(header) + uint64_t{width} * count != c->size()) {
    return c->Corruption("intset of " + std::to_string(count) + " " + std::to_string(width) +
                         "-byte integers cannot fill " + std::to_string(c->size()) + " bytes");
  }
  if (count == 0) return c->Corruption("empty intset");
  stats->entries = count;
  if (header_only) return Status::OK();
  const TupleLayout layout = TupleLayout::Single();
  int64_t previous = 0;
  for (uint32_t i = 0; i < count; i++) {
    uint8_t b[8];
    s = c->Read(b, width);
    if (!s.ok()) return s;
    const uint64_t raw = LittleEndian(b, static_cast<int>(width));
    const uint64_t sign = uint64_t{1} << (width * 8 - 1);
    const int64_t value = static_cast<int64_t>((raw ^ sign) - sign);
    if (i > 0 && value <= previous) {
      return c->Corruption("intset integers out of order at index " + std::to_string(i));
    }
    previous = value;
    stats->AddEntry(layout, i, true, value, static_cast<uint64_t>(DecimalLength(value)));
  }
  stats->walked = true;
  return Status::OK();
}

Status WalkZipmap(ContainerReader* c, bool header_only, ContainerStats* stats) {
  *stats = ContainerStats();
  uint8_t declared = 0;
  if (c->size() < 2) return c->Corruption("too small for a zipmap");
  Status s = c->ReadByte(&declared);
  if (!s.ok()) return s;
  if (header_only && declared < kZipmapBigLen) {
    stats->entries = uint64_t{declared} * 2;
    return Status::OK();
  }
  const TupleLayout layout = TupleLayout::FieldValue();
  uint64_t pairs = 0;
  for (;;) {
    uint64_t key_len = 0, value_len = 0;
    bool end;
    s = ReadZipmapLength(c, &key_len, &end);
    if (!s.ok()) return s;
    if (end) break;
    if (key_len > c->remaining()) return c->Corruption("key runs past the end");
    s = c->Skip(key_len);
    if (!s.ok()) return s;
    s = ReadZipmapLength(c, &value_len, &end);
    if (!s.ok()) return s;
    if (end) return c->Corruption("end marker where a value length belongs");
    uint8_t free_bytes = 0;
    s = c->ReadByte(&free_bytes);
    if (!s.ok()) return s;
    if (value_len + free_bytes > c->remaining()) return c->Corruption("value runs past the end");
    s = c->Skip(value_len + free_bytes);
    if (!s.ok()) return s;
    // Redis 7 converts a zipmap into a listpack (integer-like text would become integer
    // entries there; counted as text, a slight overestimate).
    stats->listpack_entry_bytes +=
        ListpackStringEntryBytes(key_len) + ListpackStringEntryBytes(value_len);
    stats->AddEntry(layout, 2 * pairs, false, 0, key_len);
    stats->AddEntry(layout, 2 * pairs + 1, false, 0, value_len);
    pairs++;
  }
  if (declared < kZipmapBigLen && pairs != declared) {
    return c->Corruption("header counts " + std::to_string(declared) + " pairs, found " +
                         std::to_string(pairs));
  }
  stats->entries = 2 * pairs;
  stats->walked = true;
  return Status::OK();
}

}  // namespace strata::rdb
