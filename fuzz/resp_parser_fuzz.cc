// libFuzzer target: arbitrary bytes as a RESP stream from a peer. The parser must never
// crash, hang or allocate beyond its limits, and:
//  * feeding the bytes in pieces (sizes taken from the input) gives exactly the values and
//    the error of feeding them at once;
//  * every value it returns encodes (RESP3) to bytes that parse back to the same value, and
//    encodes (RESP2) to bytes that parse to one value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "resp/encoder.h"
#include "resp/parser.h"

namespace {

using strata::Slice;
using strata::resp::Encode;
using strata::resp::Limits;
using strata::resp::Parser;
using strata::resp::Protocol;
using strata::resp::Value;

Limits SmallLimits() {
  Limits limits;
  limits.max_bulk_length = 1 << 20;
  limits.max_aggregate_length = 4096;
  limits.max_depth = 16;
  limits.max_line_length = 1024;
  return limits;
}

struct Outcome {
  std::vector<Value> values;
  std::string error;  // empty when the stream ended without one
};

// Takes every value the parser has; records its error, if any.
bool Drain(Parser* parser, Outcome* outcome) {
  while (true) {
    auto next = parser->Next();
    if (!next.ok()) {
      outcome->error = next.status().ToString();
      return false;
    }
    if (!next->has_value()) return true;
    outcome->values.push_back(std::move(**next));
  }
}

// In pieces whose sizes cycle through the input's own first bytes.
Outcome FeedInPieces(Slice input) {
  Parser parser("fuzz", SmallLimits());
  Outcome outcome;
  size_t at = 0;
  size_t i = 0;
  while (at < input.size()) {
    const size_t piece = 1 + static_cast<unsigned char>(input[i++ % input.size()]) % 17;
    const size_t n = std::min(piece, input.size() - at);
    parser.Feed(Slice(input.data() + at, n));
    at += n;
    if (!Drain(&parser, &outcome)) break;
  }
  return outcome;
}

// RESP3 has one null: "*-1" read from a RESP2 peer comes back from RESP3 as a plain null.
void ForgetNullKinds(Value* v) {
  v->null_array = false;
  for (Value& e : v->elements) ForgetNullKinds(&e);
  if (v->attribute != nullptr) ForgetNullKinds(v->attribute.get());
}

// Parses bytes the encoder wrote: exactly one value, no error, nothing left over.
Value ParseOne(const std::string& bytes) {
  Limits generous;
  generous.max_depth = 64;
  Parser parser("encoded", generous);
  parser.Feed(bytes);
  auto v = parser.Next();
  if (!v.ok() || !v->has_value()) std::abort();
  if (parser.buffered_bytes() != 0) std::abort();
  return std::move(**v);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Slice input(reinterpret_cast<const char*>(data), size);
  Parser whole("fuzz", SmallLimits());
  whole.Feed(input);
  Outcome at_once;
  Drain(&whole, &at_once);

  const Outcome pieces = FeedInPieces(input);
  if (pieces.error != at_once.error) std::abort();
  if (pieces.values.size() != at_once.values.size()) std::abort();
  for (size_t i = 0; i < pieces.values.size(); i++) {
    if (!(pieces.values[i] == at_once.values[i])) std::abort();
  }

  for (const Value& v : at_once.values) {
    std::string resp3;
    if (!Encode(v, Protocol::kResp3, &resp3).ok()) std::abort();
    Value expected = v;
    ForgetNullKinds(&expected);
    Value back = ParseOne(resp3);
    ForgetNullKinds(&back);
    if (!(back == expected)) std::abort();

    std::string resp2;
    if (!Encode(v, Protocol::kResp2, &resp2).ok()) std::abort();
    (void)ParseOne(resp2);
  }
  return 0;
}
