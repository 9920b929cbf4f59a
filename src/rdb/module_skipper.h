// Module data without the module: Redis (since 4.0 GA, value type 7 "MODULE_2" and the
// MODULE_AUX opcode) writes module values as a stream of self-describing items, so a reader
// can step over them without knowing the module:
//
//   item := opcode(length)  payload
//   1 SINT, 2 UINT   payload: one length-encoded integer
//   3 FLOAT          payload: 4-byte binary float
//   4 DOUBLE         payload: 8-byte binary double
//   5 STRING         payload: an RDB string (may be INT- or LZF-encoded)
//   0 EOF            end of the value
//
// A module value starts with its 64-bit module id (a length): the top 54 bits are nine 6-bit
// characters of the module type name, the low 10 bits the module's encoding version.
#pragma once

#include <cstdint>
#include <string>

#include "rdb/rdb_reader.h"

namespace strata::rdb {

// The nine-character type name encoded in a module id ("test__rdb", "MBbloom--", ...).
std::string ModuleTypeName(uint64_t module_id);
// The module encoding version: the low 10 bits of the id.
inline int ModuleEncodingVersion(uint64_t module_id) { return static_cast<int>(module_id & 1023); }

// Reads module items up to and including the EOF opcode. *items counts the items (EOF
// excluded); may be null.
Status SkipModuleItems(RdbReader* reader, uint64_t* items);

}  // namespace strata::rdb
