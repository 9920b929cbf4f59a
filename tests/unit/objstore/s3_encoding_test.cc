// The wire encodings: SigV4 URI encoding (expected values written from the rules in AWS's
// "Create a signed AWS API request": unreserved characters kept, everything else %XX with
// uppercase hex, '/' kept only in paths), form decoding of listed keys, base64 (RFC 4648's
// test vectors), and the two date formats.
#include "objstore/s3_encoding.h"

#include <gtest/gtest.h>

#include "objstore/s3_time.h"

namespace strata::objstore {
namespace {

TEST(UriEncode, KeepsUnreservedOnly) {
  EXPECT_EQ(UriEncode("AZaz09-._~", true), "AZaz09-._~");
  EXPECT_EQ(UriEncode("a b", true), "a%20b");
  EXPECT_EQ(UriEncode("a+b=c&d", true), "a%2Bb%3Dc%26d");
  EXPECT_EQ(UriEncode("100%", true), "100%25");
  EXPECT_EQ(UriEncode("dir/sub/file", true), "dir/sub/file");
  EXPECT_EQ(UriEncode("dir/sub", false), "dir%2Fsub");
  EXPECT_EQ(UriEncode("\xC3\xA9t\xC3\xA9", true), "%C3%A9t%C3%A9");  // "été" in UTF-8
  EXPECT_EQ(UriEncode(std::string("\0\x7f\xff", 3), true), "%00%7F%FF");
  EXPECT_EQ(UriEncode("!*'()", true), "%21%2A%27%28%29");
  EXPECT_EQ(UriEncode("", true), "");
}

TEST(FormUrlDecode, PlusIsSpaceAndEscapesDecode) {
  EXPECT_EQ(FormUrlDecode("a+b").value(), "a b");
  EXPECT_EQ(FormUrlDecode("a%2Bb%20c%2f").value(), "a+b c/");
  EXPECT_EQ(FormUrlDecode("%C3%A9").value(), "\xC3\xA9");
  EXPECT_EQ(FormUrlDecode("plain").value(), "plain");
  for (const char* bad : {"%", "%2", "%G0", "a%0"}) {
    auto r = FormUrlDecode(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.status().IsInvalidArgument()) << r.status().ToString();
  }
}

TEST(Base64Encode, Rfc4648Vectors) {
  const struct {
    std::string in, out;
  } kCases[] = {{"", ""},
                {"f", "Zg=="},
                {"fo", "Zm8="},
                {"foo", "Zm9v"},
                {"foob", "Zm9vYg=="},
                {"fooba", "Zm9vYmE="},
                {"foobar", "Zm9vYmFy"}};
  for (const auto& c : kCases) {
    EXPECT_EQ(Base64Encode(reinterpret_cast<const uint8_t*>(c.in.data()), c.in.size()), c.out)
        << c.in;
  }
  const uint8_t high[] = {0xfb, 0xff, 0xbf};
  EXPECT_EQ(Base64Encode(high, 3), "+/+/");
}

TEST(S3Time, HttpDate) {
  // 1445412480 = 2015-10-21T07:28:00Z (date -u -d @1445412480).
  EXPECT_EQ(ParseHttpDate("Wed, 21 Oct 2015 07:28:00 GMT").value(), 1445412480000);
  EXPECT_EQ(ParseHttpDate("Thu, 01 Jan 1970 00:00:00 GMT").value(), 0);
  EXPECT_EQ(ParseHttpDate("Tue, 29 Feb 2000 23:59:59 GMT").value(), 951868799000);
  for (const char* bad : {"", "Wed, 21 Oct 2015 07:28:00", "Wed, 21 Foo 2015 07:28:00 GMT",
                          "Wed, 32 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 24:00:00 GMT",
                          "Wed, 21 Oct 2015 07:28:00 GMTX", "Wednesday, 21-Oct-15 07:28:00 GMT"}) {
    auto r = ParseHttpDate(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
}

TEST(S3Time, Iso8601) {
  EXPECT_EQ(ParseIso8601("2015-10-21T07:28:00.000Z").value(), 1445412480000);
  EXPECT_EQ(ParseIso8601("2015-10-21T07:28:00.5Z").value(), 1445412480500);
  EXPECT_EQ(ParseIso8601("2015-10-21T07:28:00.123456Z").value(), 1445412480123);
  EXPECT_EQ(ParseIso8601("2015-10-21T07:28:00Z").value(), 1445412480000);
  for (const char* bad : {"", "2015-10-21", "2015-10-21T07:28:00", "2015-10-21T07:28:00.Z",
                          "2015-13-01T00:00:00Z", "2015-10-21 07:28:00Z"}) {
    EXPECT_FALSE(ParseIso8601(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace strata::objstore
