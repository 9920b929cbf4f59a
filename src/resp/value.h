// Value: one RESP2 or RESP3 value, as parsed (parser.h) or to be encoded (encoder.h).
//
// Each type is introduced on the wire by one byte:
//   RESP2 and RESP3:  + simple string   - simple error   : integer   $ bulk string   * array
//   RESP3 only:       _ null   # boolean   , double   ( big number   ! bulk error
//                     = verbatim string   % map   ~ set   | attribute   > push
// RESP2 has no null type of its own: "$-1" (a null bulk string) and "*-1" (a null array) are
// both kNull here, and null_array remembers which, so that a value read from a RESP2 peer is
// written back to one unchanged. RESP3 has one null, "_".
//
// Which field holds what:
//   text      simple string, simple error, bulk string, bulk error, big number (its
//             digits), verbatim string (the text after "fmt:")
//   format    verbatim string: its 3-byte format, "txt" or "mkd"
//   integer   integer;  boolean  boolean;  number  double
//   elements  array, set, push; map and attribute as key, value, key, value, ...
//   attribute an attribute (|) that came before this value on the wire: metadata about the
//             value, not part of it (RESP3). Its type is kAttribute; a kAttribute value exists
//             only there.
// An error reply (simple or bulk) is a value like any other: the peer answered.
//
// Values own everything they hold; copies are deep.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/enum_names.h"

namespace strata::resp {

enum class Type : uint8_t {
  kSimpleString,
  kSimpleError,
  kInteger,
  kBulkString,
  kArray,
  kNull,
  kBoolean,
  kDouble,
  kBigNumber,
  kBulkError,
  kVerbatimString,
  kMap,
  kSet,
  kAttribute,
  kPush,
};

constexpr auto EnumNameTable(Type) {
  return std::to_array<EnumNameEntry<Type>>({
      {Type::kSimpleString, "simple string"},
      {Type::kSimpleError, "simple error"},
      {Type::kInteger, "integer"},
      {Type::kBulkString, "bulk string"},
      {Type::kArray, "array"},
      {Type::kNull, "null"},
      {Type::kBoolean, "boolean"},
      {Type::kDouble, "double"},
      {Type::kBigNumber, "big number"},
      {Type::kBulkError, "bulk error"},
      {Type::kVerbatimString, "verbatim string"},
      {Type::kMap, "map"},
      {Type::kSet, "set"},
      {Type::kAttribute, "attribute"},
      {Type::kPush, "push"},
  });
}
// "a simple string", "an array", ...: for messages.
std::string TypeNameWithArticle(Type type);

struct Value {
  Value() = default;  // a null
  Value(const Value& other);
  Value& operator=(const Value& other);
  Value(Value&&) noexcept = default;
  Value& operator=(Value&&) noexcept = default;
  ~Value() = default;

  static Value SimpleString(std::string s);
  static Value SimpleError(std::string s);
  static Value Integer(int64_t i);
  static Value BulkString(std::string s);
  static Value Array(std::vector<Value> elements);
  static Value Null();       // "_"; "$-1" to a RESP2 peer
  static Value NullArray();  // "_"; "*-1" to a RESP2 peer
  static Value Boolean(bool b);
  static Value Double(double d);
  static Value BigNumber(std::string digits);
  static Value BulkError(std::string s);
  static Value Verbatim(std::string format, std::string text);
  static Value Map(std::vector<Value> keys_and_values);
  static Value Set(std::vector<Value> elements);
  static Value Attribute(std::vector<Value> keys_and_values);
  static Value Push(std::vector<Value> elements);

  // This value with attr (of type kAttribute) attached.
  Value WithAttribute(Value attr) &&;

  bool is_error() const { return type == Type::kSimpleError || type == Type::kBulkError; }
  bool is_null() const { return type == Type::kNull; }
  bool is_aggregate() const;
  // True for a simple, bulk or verbatim string whose text is s.
  bool IsString(std::string_view s) const;

  // One line for messages: +OK, -ERR ..., :42, "bytes", [array of 3], (nil), #t, ,1.5 ...
  // Long text is cut and control bytes are escaped, so a hostile reply can neither flood
  // nor garble a log.
  std::string Summary() const;

  Type type = Type::kNull;
  bool null_array = false;  // kNull only: "*-1" rather than "$-1" for a RESP2 peer
  bool boolean = false;
  int64_t integer = 0;
  double number = 0;
  std::string text;
  std::string format;
  std::vector<Value> elements;
  std::unique_ptr<Value> attribute;  // null when none came before this value
};

// Structural equality, attributes included. Two NaN doubles are equal: they are the same
// reply.
bool operator==(const Value& a, const Value& b);

// How many bytes of a string Describe() and error messages show (base/escape.h).
constexpr size_t kShownBytes = 200;

}  // namespace strata::resp
