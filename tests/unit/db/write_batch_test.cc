#include "strata/write_batch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "db/write_batch_internal.h"

namespace strata {
namespace {

// Prints records as "Put(k, v)" / "Delete(k)".
class Recorder final : public WriteBatch::Handler {
 public:
  void Put(const Slice& key, const Slice& value) override {
    out.push_back("Put(" + key.ToString() + ", " + value.ToString() + ")");
  }
  void Delete(const Slice& key) override { out.push_back("Delete(" + key.ToString() + ")"); }
  std::vector<std::string> out;
};

std::vector<std::string> Records(const WriteBatch& b) {
  Recorder r;
  Status s = b.Iterate(&r);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return r.out;
}

TEST(WriteBatch, EmptyBatch) {
  WriteBatch b;
  EXPECT_EQ(b.Count(), 0u);
  EXPECT_TRUE(Records(b).empty());
  EXPECT_EQ(b.ApproximateSize(), WriteBatchInternal::kHeaderSize);
}

TEST(WriteBatch, RecordsInOrder) {
  WriteBatch b;
  b.Put("a", "1");
  b.Delete("b");
  b.Put("", "");  // empty key and value are allowed
  b.Put("a", "2");
  EXPECT_EQ(b.Count(), 4u);
  EXPECT_EQ(Records(b),
            (std::vector<std::string>{"Put(a, 1)", "Delete(b)", "Put(, )", "Put(a, 2)"}));
  b.Clear();
  EXPECT_EQ(b.Count(), 0u);
  EXPECT_TRUE(Records(b).empty());
}

TEST(WriteBatch, SequenceAndAppend) {
  WriteBatch a;
  a.Put("x", "1");
  WriteBatchInternal::SetSequence(&a, 100);
  EXPECT_EQ(WriteBatchInternal::Sequence(a), 100u);
  WriteBatch b;
  b.Delete("y");
  b.Put("z", "3");
  WriteBatchInternal::Append(&a, b);
  EXPECT_EQ(a.Count(), 3u);
  EXPECT_EQ(WriteBatchInternal::Sequence(a), 100u);
  EXPECT_EQ(Records(a), (std::vector<std::string>{"Put(x, 1)", "Delete(y)", "Put(z, 3)"}));
}

TEST(WriteBatch, ContentsRoundTrip) {
  WriteBatch a;
  a.Put("key", std::string(100000, 'v'));
  a.Delete("gone");
  WriteBatchInternal::SetSequence(&a, 7);
  WriteBatch b;
  ASSERT_TRUE(WriteBatchInternal::SetContents(&b, WriteBatchInternal::Contents(a)).ok());
  EXPECT_EQ(WriteBatchInternal::Sequence(b), 7u);
  EXPECT_EQ(Records(b), Records(a));
}

TEST(WriteBatch, DamagedBytesAreCorruptionNeverACrash) {
  WriteBatch a;
  a.Put("alpha", "one");
  a.Delete("beta");
  a.Put("gamma", "three");
  const std::string good = WriteBatchInternal::Contents(a).ToString();
  WriteBatch b;
  EXPECT_TRUE(WriteBatchInternal::SetContents(&b, Slice(good.data(), 11)).IsCorruption());
  // Every truncation after the header, and every single-byte change, is either rejected or
  // decodes to well-formed records; it never crashes or reads past the end.
  for (size_t cut = WriteBatchInternal::kHeaderSize; cut < good.size(); cut++) {
    ASSERT_TRUE(WriteBatchInternal::SetContents(&b, Slice(good.data(), cut)).ok());
    Recorder r;
    EXPECT_TRUE(b.Iterate(&r).IsCorruption()) << "cut " << cut;
  }
  for (size_t i = WriteBatchInternal::kHeaderSize; i < good.size(); i++) {
    for (int bit = 0; bit < 8; bit++) {
      std::string bad = good;
      bad[i] ^= static_cast<char>(1 << bit);
      ASSERT_TRUE(WriteBatchInternal::SetContents(&b, bad).ok());
      Recorder r;
      Status s = b.Iterate(&r);
      // The header (and so the count of 3) is intact: a batch that decodes holds 3 records.
      if (s.ok()) {
        EXPECT_EQ(r.out.size(), 3u) << "byte " << i << " bit " << bit;
      } else {
        EXPECT_TRUE(s.IsCorruption()) << "byte " << i << " bit " << bit << ": " << s.ToString();
      }
    }
  }
}

}  // namespace
}  // namespace strata
