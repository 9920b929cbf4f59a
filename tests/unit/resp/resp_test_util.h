// Helpers for the resp tests: run a parser over bytes fed one way or another.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "base/escape.h"
#include "resp/encoder.h"
#include "resp/parser.h"

namespace strata::resp {

// How GoogleTest prints a Value in a failure: its RESP3 bytes, escaped.
inline void PrintTo(const Value& v, std::ostream* os) {
  std::string bytes;
  Status s = Encode(v, Protocol::kResp3, &bytes);
  *os << (s.ok() ? EscapeBytes(bytes, 400) : v.Summary() + " (" + s.ToString() + ")");
}

}  // namespace strata::resp

namespace strata::resp::test {

// What a parser made of a stream: its values, then its error ("" when none), and how many
// bytes it left unconsumed.
struct Parsed {
  std::vector<Value> values;
  std::string error;
  size_t left_over = 0;
};

// Feeds the pieces in order, taking every complete value after each one.
inline Parsed ParsePieces(const std::vector<std::string>& pieces, Limits limits = Limits()) {
  Parser parser("h:1", limits);
  Parsed parsed;
  for (const std::string& piece : pieces) {
    parser.Feed(piece);
    while (true) {
      Result<std::optional<Value>> v = parser.Next();
      if (!v.ok()) {
        parsed.error = v.status().ToString();
        return parsed;
      }
      if (!v->has_value()) break;
      parsed.values.push_back(std::move(**v));
    }
  }
  parsed.left_over = parser.buffered_bytes();
  return parsed;
}

inline Parsed ParseAll(const std::string& bytes, Limits limits = Limits()) {
  return ParsePieces({bytes}, limits);
}

// Parses bytes at once, split in two at every position, and one byte at a time; expects the
// same outcome every way and returns it.
inline Parsed ParseEverySplit(const std::string& bytes, Limits limits = Limits()) {
  const Parsed whole = ParseAll(bytes, limits);
  auto same = [&](const Parsed& other, const std::string& how) {
    EXPECT_EQ(other.error, whole.error) << how;
    EXPECT_EQ(other.left_over, whole.left_over) << how;
    EXPECT_TRUE(other.values == whole.values) << how;
  };
  for (size_t at = 0; at <= bytes.size(); at++) {
    same(ParsePieces({bytes.substr(0, at), bytes.substr(at)}, limits),
         "split at " + std::to_string(at));
  }
  std::vector<std::string> bytewise;
  for (char c : bytes) bytewise.emplace_back(1, c);
  same(ParsePieces(bytewise, limits), "byte at a time");
  return whole;
}

}  // namespace strata::resp::test
