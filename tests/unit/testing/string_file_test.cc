// The in-memory files of string_file.h: what is appended is in the string, reads return the
// bytes at their offsets and stop short at the end.
#include "testing/string_file.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace strata::testing {
namespace {

TEST(StringWritableFile, AppendsToItsOwnString) {
  StringWritableFile file;
  EXPECT_EQ(file.Size(), 0u);
  ASSERT_TRUE(file.Append("abc").ok());
  ASSERT_TRUE(file.Flush().ok());
  ASSERT_TRUE(file.Append(Slice("d\0e", 3)).ok());
  ASSERT_TRUE(file.Sync().ok());
  ASSERT_TRUE(file.SyncFlushed().ok());
  ASSERT_TRUE(file.Close().ok());
  EXPECT_EQ(file.Size(), 6u);
  EXPECT_EQ(file.contents(), std::string("abcd\0e", 6));
}

TEST(StringWritableFile, AppendsToTheCallersString) {
  std::string dest = "kept:";
  {
    StringWritableFile file(&dest);
    EXPECT_EQ(file.Size(), 5u);  // the string's bytes count as appended before
    ASSERT_TRUE(file.Append("more").ok());
    EXPECT_EQ(dest, "kept:more");  // at once, nothing buffered
    EXPECT_EQ(&file.contents(), &dest);
  }
  EXPECT_EQ(dest, "kept:more");
}

TEST(StringSequentialFile, ReadsInOrderAndStopsShortAtTheEnd) {
  std::string bytes = "0123456789";
  StringSequentialFile file(bytes);
  bytes = "changed";  // the file holds its own copy
  char scratch[4];
  Slice got;
  ASSERT_TRUE(file.Read(4, &got, scratch).ok());
  EXPECT_EQ(got.ToString(), "0123");
  ASSERT_TRUE(file.Skip(3).ok());
  ASSERT_TRUE(file.Read(4, &got, scratch).ok());
  EXPECT_EQ(got.ToString(), "789");
  ASSERT_TRUE(file.Read(4, &got, scratch).ok());
  EXPECT_TRUE(got.empty());

  StringSequentialFile skipping("abc");
  ASSERT_TRUE(skipping.Skip(100).ok());
  ASSERT_TRUE(skipping.Read(4, &got, scratch).ok());
  EXPECT_TRUE(got.empty());
}

TEST(StringRandomAccessFile, ReadsAtOffsetsIntoScratch) {
  const StringRandomAccessFile file("0123456789");
  char scratch[4];
  Slice got;
  ASSERT_TRUE(file.Read(3, 4, &got, scratch).ok());
  EXPECT_EQ(got.ToString(), "3456");
  EXPECT_EQ(got.data(), scratch);
  ASSERT_TRUE(file.Read(8, 4, &got, scratch).ok());
  EXPECT_EQ(got.ToString(), "89");
  ASSERT_TRUE(file.Read(10, 4, &got, scratch).ok());
  EXPECT_TRUE(got.empty());
  ASSERT_TRUE(file.Read(uint64_t{1} << 40, 4, &got, scratch).ok());
  EXPECT_TRUE(got.empty());
  ASSERT_TRUE(file.Read(0, 0, &got, scratch).ok());
  EXPECT_TRUE(got.empty());
}

}  // namespace
}  // namespace strata::testing
