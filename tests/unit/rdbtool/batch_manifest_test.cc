#include "rdbtool/batch_manifest.h"

#include <gtest/gtest.h>

#include "base/crc32c.h"
#include "support/test_util.h"

namespace strata::rdbtool {
namespace {

BatchManifest Sample() {
  BatchManifest m;
  m.cluster = "prod:eu";
  m.batch = "2026-11-30_16-05-09.123Z";
  m.committed_at = "2026-11-30T16:06:00.000Z";
  m.files = {{"b.parquet", "b", 20, 0xdeadbeef, 2}, {"a-1.parquet", "a:1", 10, 7, 1}};
  return m;
}

TEST(BatchManifestTest, RoundTripsWithFilesSortedByName) {
  const std::string json = Sample().ToJson();
  auto parsed = BatchManifest::FromJson(json, "m");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->cluster, "prod:eu");
  EXPECT_EQ(parsed->batch, "2026-11-30_16-05-09.123Z");
  EXPECT_EQ(parsed->committed_at, "2026-11-30T16:06:00.000Z");
  ASSERT_EQ(parsed->files.size(), 2u);
  EXPECT_EQ(parsed->files[0].name, "a-1.parquet");
  EXPECT_EQ(parsed->files[0].instance, "a:1");
  EXPECT_EQ(parsed->files[1].crc32c, 0xdeadbeefu);
  EXPECT_NE(json.find("\"crc32c\": \"deadbeef\""), std::string::npos) << json;
}

TEST(BatchManifestTest, RefusesWhatIsNotAManifestNamingTheSource) {
  const std::string good = Sample().ToJson();
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    const size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
  };
  const std::vector<std::string> bad = {
      "",
      "[]",
      good.substr(0, good.size() / 2),
      replace("strata.rdb.batch", "something.else"),
      replace("\"a-1.parquet\"", "\"../a.parquet\""),
      replace("\"a-1.parquet\"", "\"a.csv\""),
      replace("\"a-1.parquet\"", "\"b.parquet\""),  // listed twice
      replace("\"deadbeef\"", "\"DEADBEEF\""),
      replace("\"deadbeef\"", "\"beef\""),
      replace("\"bytes\": 20", "\"bytes\": -20"),
      replace("\"bytes\": 20", "\"bytes\": \"20\""),
      replace("\"cluster\"", "\"klaster\""),
  };
  for (const std::string& text : bad) {
    auto parsed = BatchManifest::FromJson(text, "s3://b/lake/_SUCCESS");
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_TRUE(parsed.status().IsCorruption()) << parsed.status().ToString();
    EXPECT_NE(parsed.status().ToString().find("s3://b/lake/_SUCCESS"), std::string::npos);
  }
  auto future = BatchManifest::FromJson(replace("\"version\": 1", "\"version\": 2"), "m");
  EXPECT_TRUE(future.status().IsNotSupported()) << future.status().ToString();
}

TEST(BatchManifestTest, FileChecksumIsTheCrc32cOfTheWholeFile) {
  strata::test::TempDir dir;
  const std::string bytes = strata::test::RandomBytes(5, 3 << 20);
  std::FILE* f = std::fopen(dir.File("x").c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
  uint32_t crc = 0;
  uint64_t n = 0;
  ASSERT_TRUE(FileChecksum(Env::Default(), dir.File("x"), &crc, &n).ok());
  EXPECT_EQ(n, bytes.size());
  EXPECT_EQ(crc, crc32c::Value(bytes.data(), bytes.size()));
  EXPECT_TRUE(FileChecksum(Env::Default(), dir.File("none"), &crc, &n).IsNotFound());
}

}  // namespace
}  // namespace strata::rdbtool
