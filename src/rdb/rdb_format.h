// Constants of the Redis RDB format (and Valkey's variant of it), as the files hold them.
//
// Values are format facts: opcode and type bytes, the length and string encodings, and the
// sub-encodings of the compact containers. docs/formats/rdb.md explains each byte by byte.
#pragma once

#include <cstdint>

namespace strata::rdb {

// ---- Header -------------------------------------------------------------------------------
// "REDIS" + 4 decimal digits, or "VALKEY" + 3 decimal digits: 9 bytes either way.
constexpr int kHeaderBytes = 9;
constexpr int kMinRedisVersion = 1;
constexpr int kMaxRedisVersion = 12;  // Redis 7.4 and 8.0
// Valkey 9.0 writes RDB 80 with the VALKEY magic; 9.2 writes 81. 12-79 is Redis's range.
constexpr int kMinValkeyVersion = 80;
constexpr int kMaxValkeyVersion = 81;
// The CRC64 trailer exists from this version on.
constexpr int kFirstVersionWithChecksum = 5;

// ---- Opcodes (one byte, where a value type byte could also stand) ---------------------------
// Redis Enterprise writes a RAM LRU hint before a key: one length, ignored (as librdb does).
constexpr uint8_t kOpEnterpriseRamLru = 107;
constexpr uint8_t kOpSlotImport = 243;     // Valkey >= 80 only: slot import job
constexpr uint8_t kOpSlotInfo = 244;       // slot id, slot size, expires slot size
constexpr uint8_t kOpFunction2 = 245;      // one function library (string)
constexpr uint8_t kOpFunctionPreGa = 246;  // Redis 7.0 RC1/RC2 functions
constexpr uint8_t kOpModuleAux = 247;      // module data outside the key space
constexpr uint8_t kOpIdle = 248;           // LRU idle seconds of the next key (length)
constexpr uint8_t kOpFreq = 249;           // LFU counter of the next key (one byte)
constexpr uint8_t kOpAux = 250;            // two strings: name, value
constexpr uint8_t kOpResizeDb = 251;       // two lengths: db size, expires size
constexpr uint8_t kOpExpireTimeMs = 252;   // 8-byte little-endian ms of the next key
constexpr uint8_t kOpExpireTime = 253;     // 4-byte little-endian seconds of the next key
constexpr uint8_t kOpSelectDb = 254;       // length: db number
constexpr uint8_t kOpEof = 255;            // end of data; CRC64 follows from version 5

// ---- Value types -----------------------------------------------------------------------------
constexpr uint8_t kTypeString = 0;
constexpr uint8_t kTypeList = 1;
constexpr uint8_t kTypeSet = 2;
constexpr uint8_t kTypeZset = 3;
constexpr uint8_t kTypeHash = 4;
constexpr uint8_t kTypeZset2 = 5;
constexpr uint8_t kTypeModulePreGa = 6;
constexpr uint8_t kTypeModule2 = 7;
constexpr uint8_t kTypeHashZipmap = 9;
constexpr uint8_t kTypeListZiplist = 10;
constexpr uint8_t kTypeSetIntset = 11;
constexpr uint8_t kTypeZsetZiplist = 12;
constexpr uint8_t kTypeHashZiplist = 13;
constexpr uint8_t kTypeListQuicklist = 14;
constexpr uint8_t kTypeStreamListpacks = 15;
constexpr uint8_t kTypeHashListpack = 16;
constexpr uint8_t kTypeZsetListpack = 17;
constexpr uint8_t kTypeListQuicklist2 = 18;
constexpr uint8_t kTypeStreamListpacks2 = 19;
constexpr uint8_t kTypeSetListpack = 20;
constexpr uint8_t kTypeStreamListpacks3 = 21;
// Redis numbering of 22-25 (hash field expiry, 7.4+).
constexpr uint8_t kTypeHashMetadataPreGa = 22;
constexpr uint8_t kTypeHashListpackExPreGa = 23;
constexpr uint8_t kTypeHashMetadata = 24;
constexpr uint8_t kTypeHashListpackEx = 25;
// Valkey (VALKEY magic, RDB >= 80) gives 22 and 23 other meanings.
constexpr uint8_t kValkeyTypeHash2 = 22;
constexpr uint8_t kValkeyTypePathHash = 23;

// ---- Length encoding: the two high bits of the first byte ----------------------------------
constexpr uint8_t kLen6Bit = 0;      // 00xxxxxx
constexpr uint8_t kLen14Bit = 1;     // 01xxxxxx xxxxxxxx (big-endian)
constexpr uint8_t kLen32Bit = 0x80;  // 10000000 + 4 bytes big-endian
constexpr uint8_t kLen64Bit = 0x81;  // 10000001 + 8 bytes big-endian
constexpr uint8_t kLenEncoded = 3;   // 11xxxxxx: a special string encoding follows
// Special string encodings (low six bits of an 11xxxxxx byte).
constexpr uint8_t kEncInt8 = 0;
constexpr uint8_t kEncInt16 = 1;
constexpr uint8_t kEncInt32 = 2;
constexpr uint8_t kEncLzf = 3;

// ---- Module values ---------------------------------------------------------------------------
constexpr uint64_t kModuleOpEof = 0;
constexpr uint64_t kModuleOpSint = 1;
constexpr uint64_t kModuleOpUint = 2;
constexpr uint64_t kModuleOpFloat = 3;
constexpr uint64_t kModuleOpDouble = 4;
constexpr uint64_t kModuleOpString = 5;

// ---- Quicklist 2 node containers -------------------------------------------------------------
constexpr uint64_t kQuicklistNodePlain = 1;
constexpr uint64_t kQuicklistNodePacked = 2;

// ---- Old (type 3) zset scores: a one-byte length, or one of these markers ----------------------
constexpr uint8_t kScoreNan = 253;
constexpr uint8_t kScorePosInf = 254;
constexpr uint8_t kScoreNegInf = 255;

// A stream ID (ms, seq) as the file stores it in node keys and PELs: 16 raw bytes.
constexpr int kStreamIdBytes = 16;

}  // namespace strata::rdb
