// Encoding values for a RESP2 or a RESP3 peer.
//
// Encode() writes a Value in the protocol the peer speaks. RESP3 types written for a RESP2
// peer degrade as Redis 7.0 degrades its own replies (networking.c), so a RESP2 client sees
// what it would see from Redis:
//   null           "$-1", or "*-1" for a null array (Value::NullArray)
//   boolean        the integer :1 or :0
//   double         a bulk string, "%.17g" ("1.5", "0.10000000000000001"); inf as "inf"/"-inf"
//   big number     a bulk string of its digits
//   verbatim       a bulk string of its text, without the "txt:" format
//   bulk error     a simple error, CR and LF replaced by spaces (Redis never sends '!')
//   map            a flat array: key, value, key, value, ...
//   set, push      an array
//   attribute      left out: metadata a RESP2 peer has no way to receive
// RESP3 writes every type as itself; a double uses the same "%.17g" text as Redis 7.0, and
// "inf", "-inf" and "nan".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "resp/value.h"
#include "strata/status.h"

namespace strata::resp {

enum class Protocol : uint8_t {
  kResp2 = 2,
  kResp3 = 3,
};

// Appends value, encoded for protocol, to *out. A value that cannot be written is
// InvalidArgument naming where in the value the problem sits ("cannot encode
// value[2].attribute[1]: ..."), and *out is left as it was:
// a simple string or error holding CR or LF (the line would end early), a verbatim format
// that is not 3 bytes, a big number that is not a decimal integer, a map or attribute with
// an odd number of elements, an attribute that is not kAttribute or a kAttribute outside
// Value::attribute.
Status Encode(const Value& value, Protocol protocol, std::string* out);

// Appends a command as clients send it in both protocols: an array of bulk strings.
void EncodeCommand(const std::vector<std::string>& args, std::string* out);

}  // namespace strata::resp
