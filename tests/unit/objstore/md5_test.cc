// MD5 against the test suite of RFC 1321 (appendix A.5), and incremental updates in every
// split against the one-shot digest.
#include "objstore/md5.h"

#include <gtest/gtest.h>

#include <string>

#include "support/test_util.h"

namespace strata::objstore {
namespace {

TEST(Md5, Rfc1321TestSuite) {
  const struct {
    std::string input;
    std::string digest;
  } kCases[] = {
      {"", "d41d8cd98f00b204e9800998ecf8427e"},
      {"a", "0cc175b9c0f1b6a831c399e269772661"},
      {"abc", "900150983cd24fb0d6963f7d28e17f72"},
      {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
      {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
      {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
       "d174ab98d277d9f5a5611c2c9f419d9f"},
      {"1234567890123456789012345678901234567890123456789012345678901234567890123456789"
       "0",
       "57edf4a22be3c955ac49da2e2107b67a"},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(Md5Hex(Md5::Of(c.input)), c.digest) << "MD5(\"" << c.input << "\")";
  }
}

// Lengths around the padding boundaries (55, 56, 63, 64 bytes) from Python's hashlib.md5.
TEST(Md5, PaddingBoundaries) {
  EXPECT_EQ(Md5Hex(Md5::Of(std::string(55, 'a'))), "ef1772b6dff9a122358552954ad0df65");
  EXPECT_EQ(Md5Hex(Md5::Of(std::string(56, 'a'))), "3b0c8ac703f828b04c6c197006d17218");
  EXPECT_EQ(Md5Hex(Md5::Of(std::string(63, 'a'))), "b06521f39153d618550606be297466d5");
  EXPECT_EQ(Md5Hex(Md5::Of(std::string(64, 'a'))), "014842d480b571495a4a0363793f7367");
  EXPECT_EQ(Md5Hex(Md5::Of(std::string(1'000'000, 'a'))), "7707d6ae4e027c70eea2a935c2296f21");
}

TEST(Md5, IncrementalEqualsOneShot) {
  const std::string data = test::RandomBytes(7, 300);
  const std::string whole = Md5Hex(Md5::Of(data));
  for (size_t first = 0; first <= data.size(); first += 13) {
    for (size_t second = first; second <= data.size(); second += 29) {
      Md5 md5;
      md5.Update(data.substr(0, first));
      md5.Update(data.substr(first, second - first));
      md5.Update(data.substr(second));
      ASSERT_EQ(Md5Hex(md5.Finish()), whole) << "split at " << first << " and " << second;
    }
  }
}

}  // namespace
}  // namespace strata::objstore
