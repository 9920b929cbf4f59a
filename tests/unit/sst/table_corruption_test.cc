// Damaged tables: flipped bytes in data, index and footer, truncation, tiny files, a wrong
// magic and a newer version. Every case is an error naming the file, never wrong data.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "base/coding.h"
#include "sst/format.h"
#include "sst/table_reader.h"
#include "sst_test_util.h"

namespace strata::sst {
namespace {

using Model = std::map<std::string, std::string>;
constexpr char kName[] = "dir/000123.sst";

class TableCorruptionTest : public ::testing::TestWithParam<CompressionType> {
 protected:
  void SetUp() override {
    for (int i = 0; i < 3000; i++) {
      model_["key" + std::to_string(100000 + i)] = "value-" + std::to_string(i * 7919);
    }
    options_.compression = GetParam();
    ASSERT_TRUE(test::BuildTable(options_, model_, &bytes_).ok());
    std::unique_ptr<TableReader> table;
    ASSERT_TRUE(test::OpenTable(options_, bytes_, &table, kName).ok());
    footer_offset_ = bytes_.size() - Footer::kEncodedLength;
    ASSERT_TRUE(
        footer_.DecodeFrom(Slice(bytes_).view().substr(footer_offset_), kName, footer_offset_)
            .ok());
  }

  // Checks the entry under `it` against the model and against the previous entry of the
  // scan: a key the model lacks, a wrong value, or a key out of order (forward: ascending,
  // backward: descending) is wrong data.
  void ExpectEntryFromModel(Iterator* it, bool forward, std::string* previous, size_t* seen) {
    const std::string key = it->key().ToString();
    const char* direction = forward ? "forward" : "backward";
    auto m = model_.find(key);
    EXPECT_NE(m, model_.end()) << direction << " scan invented key " << key;
    if (m != model_.end()) {
      EXPECT_EQ(m->second, it->value().ToString()) << direction << " scan, key " << key;
    }
    if (*seen > 0) {
      EXPECT_TRUE(forward ? *previous < key : key < *previous)
          << direction << " scan: key " << key << " after " << *previous;
    }
    *previous = key;
    ++*seen;
  }

  // Opens `bytes` and reads everything forward, backward and by lookups. Returns the first
  // error; fails the test if any entry disagrees with the model, or if a scan that ends
  // without an error has left entries out.
  Status ReadAll(const std::string& bytes) {
    std::unique_ptr<TableReader> table;
    Status s = test::OpenTable(options_, bytes, &table, kName);
    if (!s.ok()) return s;
    TableReadOptions ro;
    ro.verify_checksums = true;
    auto it = table->NewIterator(ro);
    std::string previous;
    size_t seen = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ExpectEntryFromModel(it.get(), /*forward=*/true, &previous, &seen);
    }
    if (!it->status().ok()) return it->status();
    EXPECT_EQ(seen, model_.size()) << "forward scan ended without an error but missed entries";
    seen = 0;
    for (it->SeekToLast(); it->Valid(); it->Prev()) {
      ExpectEntryFromModel(it.get(), /*forward=*/false, &previous, &seen);
    }
    if (!it->status().ok()) return it->status();
    EXPECT_EQ(seen, model_.size()) << "backward scan ended without an error but missed entries";
    for (const auto& [k, v] : model_) {
      std::string fk, fv;
      bool found = false;
      s = table->InternalGet(ro, k, &fk, &fv, &found);
      if (!s.ok()) return s;
      EXPECT_TRUE(found && fk == k && fv == v) << k;
    }
    return Status::OK();
  }

  void ExpectCorruptionNamingFile(const Status& s) {
    EXPECT_TRUE(s.IsCorruption()) << s.ToString();
    EXPECT_NE(s.ToString().find(kName), std::string::npos) << s.ToString();
  }

  TableOptions options_;
  Model model_;
  std::string bytes_;
  Footer footer_;
  uint64_t footer_offset_ = 0;
};

TEST_P(TableCorruptionTest, IntactTableReadsBack) { EXPECT_TRUE(ReadAll(bytes_).ok()); }

TEST_P(TableCorruptionTest, FlippedByteInDataBlocks) {
  // Data blocks fill [0, first metadata block).
  const uint64_t data_end = footer_.filter.offset();
  for (uint64_t pos = 0; pos < data_end; pos += 97) {
    std::string damaged = bytes_;
    damaged[pos] = static_cast<char>(damaged[pos] ^ 0x01);
    Status s = ReadAll(damaged);
    ExpectCorruptionNamingFile(s);
    EXPECT_NE(s.ToString().find("offset"), std::string::npos);
  }
}

TEST_P(TableCorruptionTest, FlippedByteInIndexBlock) {
  const uint64_t start = footer_.index.offset();
  const uint64_t end = start + footer_.index.size() + kBlockTrailerSize;
  for (uint64_t pos = start; pos < end; pos++) {
    std::string damaged = bytes_;
    damaged[pos] = static_cast<char>(damaged[pos] ^ 0x10);
    Status s = ReadAll(damaged);
    ExpectCorruptionNamingFile(s);
    EXPECT_NE(s.ToString().find("offset " + std::to_string(start)), std::string::npos)
        << s.ToString();
  }
}

TEST_P(TableCorruptionTest, FlippedByteInFilterAndProperties) {
  for (const BlockHandle& h : {footer_.filter, footer_.properties}) {
    for (uint64_t pos = h.offset(); pos < h.offset() + h.size() + kBlockTrailerSize; pos += 13) {
      std::string damaged = bytes_;
      damaged[pos] = static_cast<char>(damaged[pos] ^ 0x04);
      ExpectCorruptionNamingFile(ReadAll(damaged));
    }
  }
}

TEST_P(TableCorruptionTest, FlippedByteInFooter) {
  for (uint64_t pos = footer_offset_; pos < bytes_.size(); pos++) {
    std::string damaged = bytes_;
    damaged[pos] = static_cast<char>(damaged[pos] ^ 0x02);
    ExpectCorruptionNamingFile(ReadAll(damaged));
  }
}

TEST_P(TableCorruptionTest, TruncatedFile) {
  for (uint64_t size : {uint64_t{0}, uint64_t{1}, uint64_t{Footer::kEncodedLength - 1},
                        uint64_t{Footer::kEncodedLength}, uint64_t{bytes_.size() / 2},
                        uint64_t{bytes_.size() - 1}}) {
    ExpectCorruptionNamingFile(ReadAll(bytes_.substr(0, size)));
  }
}

TEST_P(TableCorruptionTest, FileTooSmall) {
  Status s = ReadAll("tiny");
  ExpectCorruptionNamingFile(s);
  EXPECT_NE(s.ToString().find("too small"), std::string::npos) << s.ToString();
}

TEST_P(TableCorruptionTest, WrongMagic) {
  std::string damaged = bytes_;
  EncodeFixed64(damaged.data() + damaged.size() - 8, 0x0123456789abcdefull);
  Status s = ReadAll(damaged);
  ExpectCorruptionNamingFile(s);
  EXPECT_NE(s.ToString().find("magic"), std::string::npos) << s.ToString();
}

TEST_P(TableCorruptionTest, NewerVersionIsNotSupported) {
  Footer newer = footer_;
  newer.version = 2;
  std::string damaged = bytes_.substr(0, footer_offset_);
  newer.EncodeTo(&damaged);
  ASSERT_EQ(damaged.size(), bytes_.size());
  Status s = ReadAll(damaged);
  EXPECT_TRUE(s.IsNotSupported()) << s.ToString();
  EXPECT_NE(s.ToString().find(kName), std::string::npos);
  EXPECT_NE(s.ToString().find("version 2"), std::string::npos);
}

TEST_P(TableCorruptionTest, HandlesPastTheEndAreCorruption) {
  Footer bad = footer_;
  bad.index = BlockHandle(footer_offset_ - 3, 1000);
  std::string damaged = bytes_.substr(0, footer_offset_);
  bad.EncodeTo(&damaged);
  ExpectCorruptionNamingFile(ReadAll(damaged));
  bad = footer_;
  bad.properties = BlockHandle(~uint64_t{0} - 2, ~uint64_t{0} - 2);  // overflow bait
  damaged = bytes_.substr(0, footer_offset_);
  bad.EncodeTo(&damaged);
  ExpectCorruptionNamingFile(ReadAll(damaged));
}

TEST_P(TableCorruptionTest, WithoutChecksumsDamageStillNeverCrashes) {
  // verify_checksums = false: parsing still validates every length, so a damaged data block
  // yields an error or some entries, within bounds (ASan checks that).
  std::unique_ptr<TableReader> table;
  for (uint64_t pos = 0; pos < footer_.filter.offset(); pos += 211) {
    std::string damaged = bytes_;
    damaged[pos] = static_cast<char>(damaged[pos] ^ 0xff);
    ASSERT_TRUE(test::OpenTable(options_, damaged, &table, kName).ok());
    TableReadOptions ro;
    ro.verify_checksums = false;
    auto it = table->NewIterator(ro);
    size_t n = 0;
    for (it->SeekToFirst(); it->Valid() && n < 100000; it->Next()) n++;
    for (it->SeekToLast(); it->Valid() && n < 200000; it->Prev()) n++;
    if (!it->status().ok()) {
      ExpectCorruptionNamingFile(it->status());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Codecs, TableCorruptionTest,
                         ::testing::Values(CompressionType::kNone, CompressionType::kSnappy,
                                           CompressionType::kZstd, CompressionType::kLz4),
                         [](const auto& info) { return EnumName(info.param); });

}  // namespace
}  // namespace strata::sst
