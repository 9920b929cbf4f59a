// Hash slots of keys, for rows of the RDB dump:
//  - Redis Cluster: CRC16-XMODEM of the key's hash tag (or of the whole key) mod 16384;
//  - Codis: CRC32 (zlib's) of the hash tag (or the whole key) mod 1024.
// The hash tag is the part between the first '{' and the first '}' after it, when that part
// is not empty; otherwise the whole key is hashed. Both systems use that rule.
#pragma once

#include <cstdint>
#include <string_view>

namespace strata::rdb {

constexpr uint32_t kRedisClusterSlots = 16384;
constexpr uint32_t kCodisSlots = 1024;

// The bytes that decide a key's slot.
std::string_view HashTag(std::string_view key);
uint16_t RedisSlot(std::string_view key);
uint16_t CodisSlot(std::string_view key);

}  // namespace strata::rdb
