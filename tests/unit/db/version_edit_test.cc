#include "db/version_edit.h"

#include <gtest/gtest.h>

#include <random>

namespace strata {
namespace {

VersionEdit RandomEdit(std::mt19937_64& rng) {
  VersionEdit e;
  if (rng() % 2) e.SetComparatorName("strata.BytewiseComparator");
  if (rng() % 2) e.SetLogNumber(rng());
  if (rng() % 2) e.SetNextFileNumber(rng() % 100000);
  if (rng() % 2) e.SetLastSequence(rng() >> 8);
  for (int i = 0, n = static_cast<int>(rng() % 4); i < n; i++) {
    e.DeleteFile(static_cast<int>(rng() % kNumLevels), rng() % 1000);
  }
  for (int i = 0, n = static_cast<int>(rng() % 4); i < n; i++) {
    FileMetaData f;
    f.number = rng() % 100000;
    f.file_size = rng() % (1ull << 40);
    f.smallest = std::string(rng() % 20, static_cast<char>('a' + i));
    f.largest = f.smallest + "zz";
    f.smallest_sequence = rng() >> 10;
    f.largest_sequence = f.smallest_sequence + rng() % 1000;
    e.AddFile(static_cast<int>(rng() % kNumLevels), f);
  }
  return e;
}

void ExpectSame(const VersionEdit& a, const VersionEdit& b) {
  EXPECT_EQ(a.comparator(), b.comparator());
  EXPECT_EQ(a.log_number(), b.log_number());
  EXPECT_EQ(a.next_file_number(), b.next_file_number());
  EXPECT_EQ(a.last_sequence(), b.last_sequence());
  EXPECT_EQ(a.deleted_files(), b.deleted_files());
  ASSERT_EQ(a.new_files().size(), b.new_files().size());
  for (size_t i = 0; i < a.new_files().size(); i++) {
    const auto& [la, fa] = a.new_files()[i];
    const auto& [lb, fb] = b.new_files()[i];
    EXPECT_EQ(la, lb);
    EXPECT_EQ(fa.number, fb.number);
    EXPECT_EQ(fa.file_size, fb.file_size);
    EXPECT_EQ(fa.smallest, fb.smallest);
    EXPECT_EQ(fa.largest, fb.largest);
    EXPECT_EQ(fa.smallest_sequence, fb.smallest_sequence);
    EXPECT_EQ(fa.largest_sequence, fb.largest_sequence);
  }
}

TEST(VersionEdit, RoundTrip) {
  std::mt19937_64 rng(3);
  for (int i = 0; i < 2000; i++) {
    const VersionEdit e = RandomEdit(rng);
    std::string encoded;
    e.EncodeTo(&encoded);
    VersionEdit d;
    ASSERT_TRUE(d.DecodeFrom(encoded).ok());
    ExpectSame(e, d);
    std::string again;
    d.EncodeTo(&again);
    EXPECT_EQ(again, encoded);
  }
}

TEST(VersionEdit, TruncationIsCorruptionNamingTheByte) {
  VersionEdit e;
  e.SetComparatorName("strata.BytewiseComparator");
  e.SetLastSequence(12345);
  FileMetaData f;
  f.number = 9;
  f.file_size = 4096;
  f.smallest = "apple";
  f.largest = "pear";
  e.AddFile(0, f);
  std::string encoded;
  e.EncodeTo(&encoded);
  int rejected = 0;
  for (size_t cut = 1; cut < encoded.size(); cut++) {
    VersionEdit d;
    Status s = d.DecodeFrom(Slice(encoded.data(), cut));
    // A cut exactly between two fields is a shorter valid edit; anything else is damage.
    if (!s.ok()) {
      rejected++;
      EXPECT_TRUE(s.IsCorruption());
      EXPECT_NE(s.ToString().find("at byte"), std::string::npos) << s.ToString();
    }
  }
  EXPECT_GE(rejected, static_cast<int>(encoded.size()) - 3);
}

TEST(VersionEdit, UnknownTagAndBadLevelAreRejected) {
  std::string bad;
  bad.push_back(99);  // unknown tag
  VersionEdit d;
  EXPECT_TRUE(d.DecodeFrom(bad).IsCorruption());
  VersionEdit e;
  e.DeleteFile(3, 7);
  std::string encoded;
  e.EncodeTo(&encoded);
  encoded[1] = static_cast<char>(kNumLevels);  // the level byte
  EXPECT_TRUE(d.DecodeFrom(encoded).IsCorruption());
}

}  // namespace
}  // namespace strata
