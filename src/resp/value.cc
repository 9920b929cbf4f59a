#include "resp/value.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/escape.h"

namespace strata::resp {

namespace {

Value Of(Type type) {
  Value v;
  v.type = type;
  return v;
}

Value WithText(Type type, std::string s) {
  Value v = Of(type);
  v.text = std::move(s);
  return v;
}

Value WithElements(Type type, std::vector<Value> elements) {
  Value v = Of(type);
  v.elements = std::move(elements);
  return v;
}

std::string Aggregate(const char* noun, size_t n) {
  return "[" + std::string(noun) + " of " + std::to_string(n) + "]";
}

}  // namespace

std::string TypeNameWithArticle(Type type) {
  const std::string name = EnumName(type);
  const bool vowel = name.find_first_of("aeiou") == 0;
  return (vowel ? "an " : "a ") + std::string(name);
}

Value::Value(const Value& other)
    : type(other.type),
      null_array(other.null_array),
      boolean(other.boolean),
      integer(other.integer),
      number(other.number),
      text(other.text),
      format(other.format),
      elements(other.elements),
      attribute(other.attribute ? std::make_unique<Value>(*other.attribute) : nullptr) {}

Value& Value::operator=(const Value& other) {
  if (this != &other) *this = Value(other);
  return *this;
}

Value Value::SimpleString(std::string s) { return WithText(Type::kSimpleString, std::move(s)); }
Value Value::SimpleError(std::string s) { return WithText(Type::kSimpleError, std::move(s)); }
Value Value::BulkString(std::string s) { return WithText(Type::kBulkString, std::move(s)); }
Value Value::BigNumber(std::string digits) { return WithText(Type::kBigNumber, std::move(digits)); }
Value Value::BulkError(std::string s) { return WithText(Type::kBulkError, std::move(s)); }

Value Value::Integer(int64_t i) {
  Value v = Of(Type::kInteger);
  v.integer = i;
  return v;
}

Value Value::Null() { return Of(Type::kNull); }

Value Value::NullArray() {
  Value v = Of(Type::kNull);
  v.null_array = true;
  return v;
}

Value Value::Boolean(bool b) {
  Value v = Of(Type::kBoolean);
  v.boolean = b;
  return v;
}

Value Value::Double(double d) {
  Value v = Of(Type::kDouble);
  v.number = d;
  return v;
}

Value Value::Verbatim(std::string format, std::string text) {
  Value v = WithText(Type::kVerbatimString, std::move(text));
  v.format = std::move(format);
  return v;
}

Value Value::Array(std::vector<Value> elements) {
  return WithElements(Type::kArray, std::move(elements));
}
Value Value::Map(std::vector<Value> keys_and_values) {
  return WithElements(Type::kMap, std::move(keys_and_values));
}
Value Value::Set(std::vector<Value> elements) {
  return WithElements(Type::kSet, std::move(elements));
}
Value Value::Attribute(std::vector<Value> keys_and_values) {
  return WithElements(Type::kAttribute, std::move(keys_and_values));
}
Value Value::Push(std::vector<Value> elements) {
  return WithElements(Type::kPush, std::move(elements));
}

Value Value::WithAttribute(Value attr) && {
  attribute = std::make_unique<Value>(std::move(attr));
  return std::move(*this);
}

bool Value::is_aggregate() const {
  switch (type) {
    case Type::kArray:
    case Type::kMap:
    case Type::kSet:
    case Type::kAttribute:
    case Type::kPush:
      return true;
    default:
      return false;
  }
}

bool Value::IsString(std::string_view s) const {
  return (type == Type::kSimpleString || type == Type::kBulkString ||
          type == Type::kVerbatimString) &&
         text == s;
}

std::string Value::Summary() const {
  switch (type) {
    case Type::kSimpleString:
      return "+" + EscapeBytes(text, kShownBytes);
    case Type::kSimpleError:
      return "-" + EscapeBytes(text, kShownBytes);
    case Type::kInteger:
      return ":" + std::to_string(integer);
    case Type::kBulkString:
      return QuoteBytes(text, kShownBytes);
    case Type::kArray:
      return Aggregate("array", elements.size());
    case Type::kNull:
      return "(nil)";
    case Type::kBoolean:
      return boolean ? "#t" : "#f";
    case Type::kDouble: {
      char buf[40];
      std::snprintf(buf, sizeof(buf), ",%.17g", number);
      return buf;
    }
    case Type::kBigNumber:
      return "(" + EscapeBytes(text, kShownBytes);
    case Type::kBulkError:
      return "!" + EscapeBytes(text, kShownBytes);
    case Type::kVerbatimString:
      return EscapeBytes(format, kShownBytes) + ":" + QuoteBytes(text, kShownBytes);
    case Type::kMap:
      return Aggregate("map", elements.size() / 2);
    case Type::kSet:
      return Aggregate("set", elements.size());
    case Type::kAttribute:
      return Aggregate("attribute", elements.size() / 2);
    case Type::kPush:
      return Aggregate("push", elements.size());
  }
  return "?";
}

bool operator==(const Value& a, const Value& b) {
  if (a.type != b.type) return false;
  if ((a.attribute == nullptr) != (b.attribute == nullptr)) return false;
  if (a.attribute != nullptr && !(*a.attribute == *b.attribute)) return false;
  switch (a.type) {
    case Type::kNull:
      return a.null_array == b.null_array;
    case Type::kInteger:
      return a.integer == b.integer;
    case Type::kBoolean:
      return a.boolean == b.boolean;
    case Type::kDouble:
      return a.number == b.number || (std::isnan(a.number) && std::isnan(b.number));
    case Type::kVerbatimString:
      return a.format == b.format && a.text == b.text;
    case Type::kSimpleString:
    case Type::kSimpleError:
    case Type::kBulkString:
    case Type::kBigNumber:
    case Type::kBulkError:
      return a.text == b.text;
    case Type::kArray:
    case Type::kMap:
    case Type::kSet:
    case Type::kAttribute:
    case Type::kPush:
      return a.elements == b.elements;
  }
  return false;
}

}  // namespace strata::resp
