// Hash slots of keys, for rows of the RDB dump:
//  - Redis Cluster: CRC16-XMODEM of the key's hash tag (or of the whole key) mod 16384;
//  - Codis: CRC32 (zlib's) of the hash tag (or the whole key) mod 1024.
// Both take the hash tag between the first '{' and the first '}' after it, and hash the whole
// key when there is no such pair. They differ on an empty tag ("a{}b", "{}"): Redis Cluster
// then hashes the whole key, Codis hashes the empty tag (its proxy's hashSlot and its
// server's slots_tag both do), so every such key is in Codis slot CRC32("") % 1024 = 0.
#pragma once

#include <cstdint>
#include <string_view>

namespace strata::rdbtool {

constexpr uint32_t kRedisClusterSlots = 16384;
constexpr uint32_t kCodisSlots = 1024;

// The bytes that decide a key's Redis Cluster slot.
std::string_view HashTag(std::string_view key);
// The bytes that decide a key's Codis slot (an empty tag stays empty).
std::string_view CodisHashTag(std::string_view key);
uint16_t RedisSlot(std::string_view key);
uint16_t CodisSlot(std::string_view key);

}  // namespace strata::rdbtool
