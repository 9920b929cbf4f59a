// Ziplist layout (Redis < 7.0), after the 10-byte header (total bytes u32 LE, offset of the
// last entry u32 LE, entry count u16 LE):
//
//   entry := prevlen encoding [data]
//   prevlen   1 byte (< 254), or 0xFE followed by 4 bytes little-endian: the previous entry's
//             size (0 for the first entry)
//   00llllll                      string of l bytes
//   01llllll llllllll             string, 14-bit big-endian length
//   10xxxxxx l l l l              string, 32-bit big-endian length
//   0xC0 / 0xD0 / 0xE0            16 / 32 / 64-bit little-endian signed int
//   0xF0 / 0xFE                   24 / 8-bit signed int
//   0xF1 .. 0xFD                  immediate int 0..12 (low four bits minus one), no data
//   0xFF                          end of the ziplist (in place of a prevlen)
#include <cstdio>

#include "rdb/container_walkers.h"

namespace strata::rdb {

namespace {

constexpr uint16_t kUnknownCount = 65535;
constexpr uint32_t kHeaderBytes = 10;

uint64_t LittleEndian(const uint8_t* b, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--) v = (v << 8) | b[i];
  return v;
}

int64_t SignExtend(uint64_t v, int bits) {
  const uint64_t sign = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((v ^ sign) - sign);
}

}  // namespace

Status WalkZiplist(ContainerReader* c, const TupleLayout& layout, bool header_only,
                   ContainerStats* stats) {
  *stats = ContainerStats();
  if (c->size() < kHeaderBytes + 1) {
    return c->Corruption("too small for a ziplist (" + std::to_string(c->size()) + " bytes)");
  }
  uint8_t header[kHeaderBytes];
  Status s = c->Read(header, sizeof(header));
  if (!s.ok()) return s;
  const uint32_t total = static_cast<uint32_t>(LittleEndian(header, 4));
  const uint32_t tail = static_cast<uint32_t>(LittleEndian(header + 4, 4));
  const uint16_t count = static_cast<uint16_t>(LittleEndian(header + 8, 2));
  if (total != c->size()) {
    return c->Corruption("header says " + std::to_string(total) + " bytes, the blob holds " +
                         std::to_string(c->size()));
  }
  if (header_only && count != kUnknownCount) {
    stats->entries = count;
    return Status::OK();
  }

  uint64_t index = 0;
  uint64_t prev_size = 0;
  uint64_t last_entry_offset = kHeaderBytes;
  for (;;) {
    const uint64_t entry_offset = c->position();
    uint8_t first = 0;
    s = c->ReadByte(&first);
    if (!s.ok()) return s;
    if (first == 0xFF) break;
    uint64_t prevlen = first;
    uint64_t size = 1;
    if (first == 0xFE) {
      uint8_t b[4];
      s = c->Read(b, 4);
      if (!s.ok()) return s;
      prevlen = LittleEndian(b, 4);
      size = 5;
    }
    if (prevlen != prev_size) {
      return c->Corruption("entry " + std::to_string(index) + " says the previous entry has " +
                           std::to_string(prevlen) + " bytes, it has " + std::to_string(prev_size));
    }
    uint8_t e = 0;
    s = c->ReadByte(&e);
    if (!s.ok()) return s;
    size += 1;
    bool is_int = true;
    int64_t value = 0;
    uint64_t str_len = 0;
    switch (e >> 6) {
      case 0:
        is_int = false;
        str_len = e & 0x3F;
        break;
      case 1: {
        uint8_t b = 0;
        s = c->ReadByte(&b);
        if (!s.ok()) return s;
        is_int = false;
        str_len = (static_cast<uint64_t>(e & 0x3F) << 8) | b;
        size += 1;
        break;
      }
      case 2: {
        uint8_t b[4];
        s = c->Read(b, 4);
        if (!s.ok()) return s;
        is_int = false;
        str_len = (static_cast<uint64_t>(b[0]) << 24) | (static_cast<uint64_t>(b[1]) << 16) |
                  (static_cast<uint64_t>(b[2]) << 8) | b[3];
        size += 4;
        break;
      }
      default: {
        int width;
        if (e == 0xC0) {
          width = 2;
        } else if (e == 0xD0) {
          width = 4;
        } else if (e == 0xE0) {
          width = 8;
        } else if (e == 0xF0) {
          width = 3;
        } else if (e == 0xFE) {
          width = 1;
        } else if (e >= 0xF1 && e <= 0xFD) {
          width = 0;
          value = (e & 0x0F) - 1;
        } else {
          char hex[8];
          std::snprintf(hex, sizeof(hex), "0x%02x", e);
          return c->Corruption("entry " + std::to_string(index) + " has invalid encoding " + hex);
        }
        if (width > 0) {
          uint8_t b[8];
          s = c->Read(b, static_cast<size_t>(width));
          if (!s.ok()) return s;
          value = SignExtend(LittleEndian(b, width), width * 8);
          size += static_cast<uint64_t>(width);
        }
      }
    }
    if (!is_int) {
      if (str_len > c->remaining()) {
        return c->Corruption("entry " + std::to_string(index) + " string of " +
                             std::to_string(str_len) + " bytes runs past the end");
      }
      s = c->Skip(str_len);
      if (!s.ok()) return s;
      size += str_len;
    }
    // Redis 7 converts every ziplist it loads into a listpack, entry by entry.
    stats->listpack_entry_bytes +=
        is_int ? ListpackIntEntryBytes(value) : ListpackStringEntryBytes(str_len);
    stats->AddEntry(layout, index, is_int, value,
                    is_int ? static_cast<uint64_t>(DecimalLength(value)) : str_len);
    prev_size = size;
    last_entry_offset = entry_offset;
    index++;
  }
  if (count != kUnknownCount && index != count) {
    return c->Corruption("header counts " + std::to_string(count) + " entries, found " +
                         std::to_string(index));
  }
  if (tail != last_entry_offset) {
    return c->Corruption("header puts the last entry at byte " + std::to_string(tail) +
                         ", it is at byte " + std::to_string(last_entry_offset));
  }
  stats->entries = index;
  stats->walked = true;
  return Status::OK();
}

}  // namespace strata::rdb
