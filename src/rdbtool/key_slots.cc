#include "rdbtool/key_slots.h"

#include "base/crc16.h"
#include "base/crc32.h"

namespace strata::rdbtool {

std::string_view HashTag(std::string_view key) {
  const size_t open = key.find('{');
  if (open == std::string_view::npos) return key;
  const size_t close = key.find('}', open + 1);
  if (close == std::string_view::npos || close == open + 1) return key;
  return key.substr(open + 1, close - open - 1);
}

std::string_view CodisHashTag(std::string_view key) {
  const size_t open = key.find('{');
  if (open == std::string_view::npos) return key;
  const size_t close = key.find('}', open + 1);
  if (close == std::string_view::npos) return key;
  return key.substr(open + 1, close - open - 1);
}

uint16_t RedisSlot(std::string_view key) {
  const std::string_view tag = HashTag(key);
  return static_cast<uint16_t>(crc16::Value(tag.data(), tag.size()) % kRedisClusterSlots);
}

uint16_t CodisSlot(std::string_view key) {
  const std::string_view tag = CodisHashTag(key);
  return static_cast<uint16_t>(crc32::Value(tag.data(), tag.size()) % kCodisSlots);
}

}  // namespace strata::rdbtool
