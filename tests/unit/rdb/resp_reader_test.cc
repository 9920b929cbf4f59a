// RespReader on hand-written bytes: every RESP2 type, nesting, nulls, error replies, the
// preamble lines and raw reads of the replication stream, and malformed or oversized input
// rejected before anything is allocated.
#include "rdb/resp_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace strata::rdb {
namespace {

// Serves fixed bytes, at most chunk at a time, so replies arrive split at every position.
// Counts the bytes asked for in one ReadSome, to show that nothing big is requested.
class ChunkedStream final : public ByteStream {
 public:
  explicit ChunkedStream(std::string bytes, size_t chunk = SIZE_MAX)
      : bytes_(std::move(bytes)), chunk_(chunk) {}
  Result<size_t> ReadSome(char* dst, size_t n) override {
    largest_request_ = std::max(largest_request_, n);
    const size_t take = std::min({n, chunk_, bytes_.size() - pos_});
    std::memcpy(dst, bytes_.data() + pos_, take);
    pos_ += take;
    return take;
  }
  size_t largest_request() const { return largest_request_; }
  size_t position() const { return pos_; }

 private:
  std::string bytes_;
  size_t chunk_;
  size_t pos_ = 0;
  size_t largest_request_ = 0;
};

// A stream that fails, as a socket does on a reset.
class FailingStream final : public ByteStream {
 public:
  Result<size_t> ReadSome(char*, size_t) override { return Status::IOError("h:1: reset"); }
};

Result<RespValue> ReadOne(const std::string& bytes, size_t chunk = SIZE_MAX,
                          RespLimits limits = RespLimits()) {
  ChunkedStream stream(bytes, chunk);
  RespReader reader(&stream, "h:1", limits);
  return reader.ReadValue();
}

// The reply parses the same whichever way the bytes are split.
RespValue ReadEverySplit(const std::string& bytes) {
  Result<RespValue> whole = ReadOne(bytes);
  EXPECT_TRUE(whole.ok()) << whole.status().ToString();
  for (size_t chunk : {1, 2, 3, 7}) {
    Result<RespValue> split = ReadOne(bytes, chunk);
    EXPECT_TRUE(split.ok()) << "chunk " << chunk << ": " << split.status().ToString();
    if (split.ok() && whole.ok()) {
      EXPECT_EQ(split->Summary(), whole->Summary());
    }
  }
  return whole.ok() ? std::move(whole).value() : RespValue();
}

TEST(RespReaderTest, SimpleString) {
  RespValue v = ReadEverySplit("+OK\r\n");
  EXPECT_EQ(v.type, RespType::kSimpleString);
  EXPECT_EQ(v.text, "OK");
  EXPECT_TRUE(v.IsString("OK"));
}

TEST(RespReaderTest, ErrorIsAValueNotAFailure) {
  RespValue v = ReadEverySplit("-ERR unknown command 'FOO'\r\n");
  EXPECT_TRUE(v.is_error());
  EXPECT_EQ(v.text, "ERR unknown command 'FOO'");
  EXPECT_EQ(v.Summary(), "-ERR unknown command 'FOO'");
}

TEST(RespReaderTest, Integers) {
  EXPECT_EQ(ReadEverySplit(":0\r\n").integer, 0);
  EXPECT_EQ(ReadEverySplit(":-42\r\n").integer, -42);
  EXPECT_EQ(ReadEverySplit(":9223372036854775807\r\n").integer, INT64_MAX);
  EXPECT_EQ(ReadEverySplit(":-9223372036854775808\r\n").integer, INT64_MIN);
  EXPECT_EQ(ReadEverySplit(":7\r\n").type, RespType::kInteger);
}

TEST(RespReaderTest, BulkStrings) {
  RespValue v = ReadEverySplit("$5\r\nhello\r\n");
  EXPECT_EQ(v.type, RespType::kBulkString);
  EXPECT_EQ(v.text, "hello");
  // Binary bytes, CRLF included, are data.
  v =
      ReadEverySplit(std::string("$6\r\na\r\n\0\xff"
                                 "b\r\n",
                                 13));
  EXPECT_EQ(v.text, std::string("a\r\n\0\xff"
                                "b",
                                6));
  EXPECT_EQ(ReadEverySplit("$0\r\n\r\n").text, "");
}

TEST(RespReaderTest, Nulls) {
  EXPECT_TRUE(ReadEverySplit("$-1\r\n").is_null());
  EXPECT_TRUE(ReadEverySplit("*-1\r\n").is_null());
  EXPECT_EQ(ReadEverySplit("$-1\r\n").Summary(), "(nil)");
}

TEST(RespReaderTest, NestedArrays) {
  const std::string bytes =
      "*4\r\n"
      ":1\r\n"
      "*2\r\n$3\r\nfoo\r\n*0\r\n"
      "$-1\r\n"
      "*1\r\n*1\r\n-ERR deep\r\n";
  RespValue v = ReadEverySplit(bytes);
  ASSERT_EQ(v.type, RespType::kArray);
  ASSERT_EQ(v.elements.size(), 4u);
  EXPECT_EQ(v.elements[0].integer, 1);
  ASSERT_EQ(v.elements[1].elements.size(), 2u);
  EXPECT_EQ(v.elements[1].elements[0].text, "foo");
  EXPECT_EQ(v.elements[1].elements[1].type, RespType::kArray);
  EXPECT_TRUE(v.elements[1].elements[1].elements.empty());
  EXPECT_TRUE(v.elements[2].is_null());
  EXPECT_TRUE(v.elements[3].elements[0].elements[0].is_error());
  EXPECT_EQ(v.Summary(), "[array of 4]");
}

TEST(RespReaderTest, ConsecutiveRepliesShareTheStream) {
  ChunkedStream stream("+OK\r\n:5\r\n$2\r\nab\r\n", 3);
  RespReader reader(&stream, "h:1");
  EXPECT_EQ(reader.ReadValue()->text, "OK");
  EXPECT_EQ(reader.ReadValue()->integer, 5);
  EXPECT_EQ(reader.ReadValue()->text, "ab");
  Result<RespValue> end = reader.ReadValue();
  ASSERT_FALSE(end.ok());
  EXPECT_TRUE(end.status().IsIOError());
  EXPECT_EQ(end.status().message(), "h:1: connection closed by the server");
}

// Each malformed reply fails with Corruption naming the peer and what was wrong.
void ExpectMalformed(const std::string& bytes, const std::string& fragment,
                     RespLimits limits = RespLimits()) {
  SCOPED_TRACE(bytes.substr(0, 40));
  Result<RespValue> v = ReadOne(bytes, SIZE_MAX, limits);
  ASSERT_FALSE(v.ok());
  EXPECT_TRUE(v.status().IsCorruption()) << v.status().ToString();
  EXPECT_NE(v.status().message().find("h:1: protocol error"), std::string::npos)
      << v.status().message();
  EXPECT_NE(v.status().message().find(fragment), std::string::npos) << v.status().message();
}

TEST(RespReaderTest, MalformedInputIsRejected) {
  ExpectMalformed("\r\n", "empty line");
  ExpectMalformed("+OK\n", "bare LF");
  ExpectMalformed("+O\rK\r\n", "carriage return");
  ExpectMalformed("?what\r\n", "unexpected type byte");
  ExpectMalformed("%1\r\n", "RESP3");
  ExpectMalformed("_\r\n", "RESP3");
  ExpectMalformed(":12a\r\n", "not a decimal int64");
  ExpectMalformed(":\r\n", "not a decimal int64");
  ExpectMalformed(":+5\r\n", "not a decimal int64");
  ExpectMalformed(":9223372036854775808\r\n", "not a decimal int64");
  ExpectMalformed("$abc\r\n", "bulk string length \"abc\"");
  ExpectMalformed("$-2\r\n", "bulk string length -2");
  ExpectMalformed("*-5\r\n", "array length -5");
  ExpectMalformed("$3\r\nabcX\r\n", "not followed by CRLF");
  ExpectMalformed("$ 3\r\nabc\r\n", "bulk string length");
}

TEST(RespReaderTest, OversizedLengthsAreRejectedBeforeAllocating) {
  // Lengths far beyond what the stream holds must fail on the header alone.
  ExpectMalformed("$99999999999\r\n", "exceeds the limit");
  ExpectMalformed("*99999999999\r\n", "exceeds the limit");
  ExpectMalformed("$9223372036854775807\r\n", "exceeds the limit");

  RespLimits small;
  small.max_bulk_bytes = 10;
  small.max_elements = 3;
  small.max_depth = 2;
  small.max_line_bytes = 16;
  ExpectMalformed("$11\r\n", "a bulk string of 11 bytes exceeds the limit of 10", small);
  EXPECT_TRUE(ReadOne("$10\r\n0123456789\r\n", SIZE_MAX, small).ok());
  // The element limit is for the whole reply, nested arrays included.
  ExpectMalformed("*4\r\n", "elements per reply", small);
  ExpectMalformed("*2\r\n*2\r\n:1\r\n:2\r\n", "elements per reply", small);
  EXPECT_TRUE(ReadOne("*1\r\n*2\r\n:1\r\n:2\r\n", SIZE_MAX, small).ok());
  ExpectMalformed("*1\r\n*1\r\n*1\r\n:1\r\n", "nested deeper than 2", small);
  ExpectMalformed("+" + std::string(40, 'x') + "\r\n", "longer than 16 bytes", small);
  // A line without an end is given up on once past the limit, not read forever.
  ExpectMalformed("+" + std::string(1000, 'x'), "longer than 16 bytes", small);
}

TEST(RespReaderTest, BulkMemoryGrowsWithTheBytesThatArrive) {
  // 60 MiB announced, 3 bytes sent: the reader fails at the end of the stream without
  // having asked the stream for more than one chunk at a time.
  ChunkedStream stream("$62914560\r\nabc");
  RespReader reader(&stream, "h:1");
  Result<RespValue> v = reader.ReadValue();
  ASSERT_FALSE(v.ok());
  EXPECT_TRUE(v.status().IsIOError());
  EXPECT_NE(v.status().message().find("after 3 of the 62914560 bytes"), std::string::npos)
      << v.status().message();
  EXPECT_LE(stream.largest_request(), size_t{1} << 20);
}

TEST(RespReaderTest, StreamErrorsPassThrough) {
  FailingStream stream;
  RespReader reader(&stream, "h:1");
  Result<RespValue> v = reader.ReadValue();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().ToString(), "IOError: h:1: reset");
}

TEST(RespReaderTest, PreambleLinesAcceptBareNewlines) {
  // The master's keepalives before +FULLRESYNC and before the payload header are bare "\n".
  ChunkedStream stream("\n\n+FULLRESYNC id 7\r\n\n$EOF:mark\r\nRDBBYTES", 2);
  RespReader reader(&stream, "h:1");
  EXPECT_EQ(*reader.ReadLine(100), "");
  EXPECT_EQ(*reader.ReadLine(100), "");
  EXPECT_EQ(*reader.ReadLine(100), "+FULLRESYNC id 7");
  EXPECT_EQ(*reader.ReadLine(100), "");
  EXPECT_EQ(*reader.ReadLine(100), "$EOF:mark");
  // Raw reads return the buffered bytes first, then the stream's, then 0 at its end.
  std::string raw;
  char buf[3];
  while (true) {
    Result<size_t> got = reader.ReadRaw(buf, sizeof(buf));
    ASSERT_TRUE(got.ok());
    if (*got == 0) break;
    raw.append(buf, *got);
  }
  EXPECT_EQ(raw, "RDBBYTES");
}

TEST(RespReaderTest, PreambleLineLimit) {
  ChunkedStream stream(std::string(5000, 'x') + "\n");
  RespReader reader(&stream, "h:1");
  Result<std::string> line = reader.ReadLine(100);
  ASSERT_FALSE(line.ok());
  EXPECT_TRUE(line.status().IsCorruption());
  EXPECT_NE(line.status().message().find("longer than 100 bytes"), std::string::npos);
}

TEST(RespReaderTest, SummaryEscapesAndCuts) {
  RespValue v;
  v.type = RespType::kBulkString;
  v.text = std::string("a\x01\n", 3);
  EXPECT_EQ(v.Summary(), "\"a\\x01\\x0a\"");
  v.text = std::string(1000, 'z');
  EXPECT_EQ(v.Summary(), "\"" + std::string(200, 'z') + "... (1000 bytes)\"");
}

}  // namespace
}  // namespace strata::rdb
