#include "objstore/store_url.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace strata::objstore {
namespace {

std::string Cwd() {
  char buf[4096];
  EXPECT_NE(::getcwd(buf, sizeof(buf)), nullptr);
  return buf;
}

TEST(StoreUrl, ParsesS3AndLocalForms) {
  struct Case {
    std::string text;
    StoreUrl::Scheme scheme;
    std::string bucket, path, canonical;
  };
  const Case cases[] = {
      {"s3://bucket", StoreUrl::Scheme::kS3, "bucket", "", "s3://bucket"},
      {"s3://bucket/", StoreUrl::Scheme::kS3, "bucket", "", "s3://bucket"},
      {"s3://bucket/a/b/", StoreUrl::Scheme::kS3, "bucket", "a/b", "s3://bucket/a/b"},
      {"file:///tmp/x/", StoreUrl::Scheme::kFile, "", "/tmp/x", "file:///tmp/x"},
      {"/tmp/x", StoreUrl::Scheme::kFile, "", "/tmp/x", "file:///tmp/x"},
      {"/tmp/./x/../y", StoreUrl::Scheme::kFile, "", "/tmp/y", "file:///tmp/y"},
      {"/..", StoreUrl::Scheme::kFile, "", "/", "file:///"},
      {"rel/dir", StoreUrl::Scheme::kFile, "", Cwd() + "/rel/dir", "file://" + Cwd() + "/rel/dir"},
  };
  for (const Case& c : cases) {
    auto url = ParseStoreUrl(c.text);
    ASSERT_TRUE(url.ok()) << c.text << ": " << url.status().ToString();
    EXPECT_EQ(url->scheme, c.scheme) << c.text;
    EXPECT_EQ(url->bucket, c.bucket) << c.text;
    EXPECT_EQ(url->path, c.path) << c.text;
    EXPECT_EQ(url->ToString(), c.canonical) << c.text;
  }
}

TEST(StoreUrl, RefusesWhatNamesNoStore) {
  const std::vector<std::string> bad = {
      "s3://",           "s3:///key", "s3://bad?bucket/x",    "gs://bucket/x",
      "file://relative", "",          std::string("/a\0b", 4)};
  for (const std::string& text : bad) {
    auto url = ParseStoreUrl(text);
    ASSERT_FALSE(url.ok()) << text;
    EXPECT_TRUE(url.status().IsInvalidArgument()) << url.status().ToString();
  }
}

TEST(StoreUrl, SplitsAnObjectFromItsStore) {
  struct Case {
    std::string text, store, key;
  };
  const Case cases[] = {
      {"s3://b/x/y.txt", "s3://b", "x/y.txt"},
      {"s3://b/x/", "s3://b", "x/"},
      {"s3://b", "s3://b", ""},
      {"/tmp/x/y.txt", "file:///tmp/x", "y.txt"},
      {"file:///tmp/x/", "file:///tmp", "x/"},
      {"/tmp/x/.", "file:///tmp", "x/"},
      {"/tmp/x/y/..", "file:///tmp", "x/"},
      {"/", "file:///", ""},
  };
  for (const Case& c : cases) {
    auto split = SplitObjectUrl(c.text);
    ASSERT_TRUE(split.ok()) << c.text << ": " << split.status().ToString();
    EXPECT_EQ(split->store.ToString(), c.store) << c.text;
    EXPECT_EQ(split->key, c.key) << c.text;
  }
}

}  // namespace
}  // namespace strata::objstore
