// Value: construction, summaries for messages, structural equality, deep copies.
#include "resp/value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "resp_test_util.h"

namespace strata::resp {
namespace {

TEST(ValueTest, SummaryEscapesAndCuts) {
  Value v = Value::BulkString(std::string("a\x01\n", 3));
  EXPECT_EQ(v.Summary(), "\"a\\x01\\x0a\"");
  v.text = std::string(1000, 'z');
  // The shown bytes in quotes, then how long the whole string is (base/escape.h).
  EXPECT_EQ(v.Summary(), "\"" + std::string(200, 'z') + "\"...(1000 bytes)");
  EXPECT_EQ(Value::SimpleError("ERR x\\y").Summary(), "-ERR x\\x5cy");
}

TEST(ValueTest, SummaryOfEachType) {
  EXPECT_EQ(Value::SimpleString("OK").Summary(), "+OK");
  EXPECT_EQ(Value::SimpleError("ERR no").Summary(), "-ERR no");
  EXPECT_EQ(Value::Integer(-3).Summary(), ":-3");
  EXPECT_EQ(Value::BulkString("hi").Summary(), "\"hi\"");
  EXPECT_EQ(Value::Array({Value(), Value()}).Summary(), "[array of 2]");
  EXPECT_EQ(Value::Null().Summary(), "(nil)");
  EXPECT_EQ(Value::Boolean(true).Summary(), "#t");
  EXPECT_EQ(Value::Double(1.5).Summary(), ",1.5");
  EXPECT_EQ(Value::BigNumber("123").Summary(), "(123");
  EXPECT_EQ(Value::BulkError("SYNTAX").Summary(), "!SYNTAX");
  EXPECT_EQ(Value::Verbatim("txt", "a\nb").Summary(), "txt:\"a\\x0ab\"");
  EXPECT_EQ(Value::Map({Value(), Value(), Value(), Value()}).Summary(), "[map of 2]");
  EXPECT_EQ(Value::Set({Value()}).Summary(), "[set of 1]");
  EXPECT_EQ(Value::Attribute({Value(), Value()}).Summary(), "[attribute of 1]");
  EXPECT_EQ(Value::Push({}).Summary(), "[push of 0]");
}

TEST(ValueTest, Predicates) {
  EXPECT_TRUE(Value::SimpleError("x").is_error());
  EXPECT_TRUE(Value::BulkError("x").is_error());
  EXPECT_FALSE(Value::SimpleString("x").is_error());
  EXPECT_TRUE(Value().is_null());
  EXPECT_TRUE(Value::NullArray().is_null());
  EXPECT_TRUE(Value::SimpleString("OK").IsString("OK"));
  EXPECT_TRUE(Value::BulkString("OK").IsString("OK"));
  EXPECT_TRUE(Value::Verbatim("txt", "OK").IsString("OK"));
  EXPECT_FALSE(Value::SimpleError("OK").IsString("OK"));
  EXPECT_FALSE(Value::BulkString("OK ").IsString("OK"));
  EXPECT_TRUE(Value::Map({}).is_aggregate());
  EXPECT_FALSE(Value::BulkString("").is_aggregate());
  EXPECT_EQ(EnumName(Type::kVerbatimString), "verbatim string");
  EXPECT_EQ(TypeNameWithArticle(Type::kAttribute), "an attribute");
  EXPECT_EQ(TypeNameWithArticle(Type::kMap), "a map");
}

TEST(ValueTest, Equality) {
  EXPECT_EQ(Value::Double(std::nan("")), Value::Double(std::nan("")));
  EXPECT_FALSE(Value::Double(1) == Value::Double(2));
  EXPECT_FALSE(Value::Integer(1) == Value::Boolean(true));
  EXPECT_FALSE(Value::Null() == Value::NullArray());
  EXPECT_FALSE(Value::SimpleString("a") == Value::BulkString("a"));
  EXPECT_FALSE(Value::Verbatim("txt", "a") == Value::Verbatim("mkd", "a"));
  EXPECT_FALSE(Value::Array({Value::Integer(1)}) == Value::Set({Value::Integer(1)}));
  EXPECT_FALSE(Value::Array({Value::Integer(1)}) == Value::Array({Value::Integer(2)}));
  const Value attr = Value::Attribute({Value::Integer(1), Value::Integer(2)});
  EXPECT_FALSE(Value::Integer(5).WithAttribute(attr) == Value::Integer(5));
  EXPECT_EQ(Value::Integer(5).WithAttribute(attr), Value::Integer(5).WithAttribute(attr));
}

TEST(ValueTest, CopiesAreDeep) {
  const Value original = Value::Array({Value::BulkString("x")})
                             .WithAttribute(Value::Attribute({Value::Integer(1), Value()}));
  Value copy = original;
  ASSERT_NE(copy.attribute, nullptr);
  EXPECT_NE(copy.attribute.get(), original.attribute.get());
  copy.attribute->elements[0].integer = 2;
  copy.elements[0].text = "y";
  EXPECT_EQ(original.attribute->elements[0].integer, 1);
  EXPECT_EQ(original.elements[0].text, "x");
  Value assigned;
  assigned = original;
  EXPECT_EQ(assigned, original);
}

}  // namespace
}  // namespace strata::resp
