// Listpack layout, after the 6-byte header (total bytes u32 LE, element count u16 LE):
//
//   entry := encoding [data] backlen
//   0xxxxxxx                      7-bit unsigned int, no data
//   10llllll                      string of l bytes (6-bit length)
//   110vvvvv vvvvvvvv             13-bit signed int
//   1110llll llllllll             string of l bytes (12-bit length)
//   11110000 l l l l              string, 32-bit little-endian length
//   0xF1 / 0xF2 / 0xF3 / 0xF4     16 / 24 / 32 / 64-bit little-endian signed int
//   0xFF                          end of the listpack (not an entry)
//
// backlen holds the size of encoding + data, 7 bits a byte, written so it can be read from
// the right: the rightmost byte carries the low 7 bits and has its high bit set when more
// bytes follow to the left.
#include <cstdio>

#include "rdb/container_walkers.h"

namespace strata::rdb {

namespace {

constexpr uint16_t kUnknownCount = 65535;
constexpr uint8_t kEnd = 0xFF;

std::string Hex(uint8_t b) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "0x%02x", b);
  return buf;
}

int64_t SignExtend(uint64_t v, int bits) {
  const uint64_t sign = uint64_t{1} << (bits - 1);
  return static_cast<int64_t>((v ^ sign) - sign);
}

uint64_t LittleEndian(const uint8_t* b, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; i--) v = (v << 8) | b[i];
  return v;
}

}  // namespace

int ListpackBacklenSize(uint64_t entry_bytes) {
  return static_cast<int>(ListpackBacklenBytes(entry_bytes));
}

Status WalkListpack(ContainerReader* c, const TupleLayout& layout, bool header_only,
                    ContainerStats* stats) {
  *stats = ContainerStats();
  uint8_t header[6];
  if (c->size() < 7)
    return c->Corruption("too small for a listpack (" + std::to_string(c->size()) + " bytes)");
  Status s = c->Read(header, sizeof(header));
  if (!s.ok()) return s;
  const uint32_t total = static_cast<uint32_t>(LittleEndian(header, 4));
  const uint16_t count = static_cast<uint16_t>(LittleEndian(header + 4, 2));
  if (total != c->size()) {
    return c->Corruption("header says " + std::to_string(total) + " bytes, the blob holds " +
                         std::to_string(c->size()));
  }
  if (header_only && count != kUnknownCount) {
    stats->entries = count;
    return Status::OK();
  }

  uint64_t index = 0;
  for (;;) {
    uint8_t b[9];
    s = c->ReadByte(&b[0]);
    if (!s.ok()) return s;
    if (b[0] == kEnd) break;
    bool is_int = true;
    int64_t value = 0;
    uint64_t str_len = 0;
    uint64_t encoding_bytes = 1;  // encoding byte(s) plus integer data
    const uint8_t e = b[0];
    if ((e & 0x80) == 0) {
      value = e & 0x7F;
    } else if ((e & 0xC0) == 0x80) {
      is_int = false;
      str_len = e & 0x3F;
    } else if ((e & 0xE0) == 0xC0) {
      s = c->ReadByte(&b[1]);
      if (!s.ok()) return s;
      value = SignExtend((static_cast<uint64_t>(e & 0x1F) << 8) | b[1], 13);
      encoding_bytes = 2;
    } else if ((e & 0xF0) == 0xE0) {
      s = c->ReadByte(&b[1]);
      if (!s.ok()) return s;
      is_int = false;
      str_len = (static_cast<uint64_t>(e & 0x0F) << 8) | b[1];
      encoding_bytes = 2;
    } else {
      int width;
      switch (e) {
        case 0xF0:
          width = 4;
          is_int = false;
          break;
        case 0xF1:
          width = 2;
          break;
        case 0xF2:
          width = 3;
          break;
        case 0xF3:
          width = 4;
          break;
        case 0xF4:
          width = 8;
          break;
        default:
          return c->Corruption("entry " + std::to_string(index) + " has invalid encoding " +
                               Hex(e));
      }
      s = c->Read(b + 1, static_cast<size_t>(width));
      if (!s.ok()) return s;
      const uint64_t raw = LittleEndian(b + 1, width);
      if (is_int) {
        value = SignExtend(raw, width * 8);
      } else {
        str_len = raw;
      }
      encoding_bytes = 1 + static_cast<uint64_t>(width);
    }
    if (!is_int) {
      if (str_len > c->remaining()) {
        return c->Corruption("entry " + std::to_string(index) + " string of " +
                             std::to_string(str_len) + " bytes runs past the end");
      }
      s = c->Skip(str_len);
      if (!s.ok()) return s;
    }
    const uint64_t entry_bytes = encoding_bytes + str_len;
    const int backlen_size = ListpackBacklenSize(entry_bytes);
    uint8_t back[5];
    s = c->Read(back, static_cast<size_t>(backlen_size));
    if (!s.ok()) return s;
    uint64_t backlen = 0;
    for (int j = 0; j < backlen_size; j++) {
      const uint8_t byte = back[backlen_size - 1 - j];
      const bool more_flag = (byte & 0x80) != 0;
      if (more_flag != (j < backlen_size - 1)) {
        return c->Corruption("entry " + std::to_string(index) + " has a malformed back-length");
      }
      backlen |= static_cast<uint64_t>(byte & 0x7F) << (7 * j);
    }
    if (backlen != entry_bytes) {
      return c->Corruption("entry " + std::to_string(index) + " back-length says " +
                           std::to_string(backlen) + " bytes, the entry has " +
                           std::to_string(entry_bytes));
    }
    stats->AddEntry(layout, index, is_int, value,
                    is_int ? static_cast<uint64_t>(DecimalLength(value)) : str_len);
    index++;
  }
  if (count != kUnknownCount && index != count) {
    return c->Corruption("header counts " + std::to_string(count) + " entries, found " +
                         std::to_string(index));
  }
  stats->entries = index;
  stats->walked = true;
  return Status::OK();
}

}  // namespace strata::rdb
