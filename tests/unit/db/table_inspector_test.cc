// InspectTable (`strata sst dump`) and TableReader::NewIndexIterator: an intact table is
// described fully and passes; a flipped data byte, a missing file and an unknown comparator
// are errors naming the file; internal-key trailers are decoded.
#include "db/table_inspector.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "base/coding.h"
#include "memtable/internal_key.h"
#include "sst/format.h"
#include "sst/table_reader.h"
#include "support/test_util.h"
#include "unit/sst/sst_test_util.h"

namespace strata::sst {
namespace {

using Model = std::map<std::string, std::string>;

constexpr int kEntries = 2000;

Model MakeModel() {
  Model model;
  for (int i = 0; i < kEntries; i++) {
    model["key" + std::to_string(100000 + i)] = "value-" + std::to_string(i * 7919);
  }
  return model;
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(f.good()) << path;
}

size_t CountLines(const std::string& text, const std::string& prefix) {
  size_t n = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t end = text.find('\n', pos);
    if (text.compare(pos, prefix.size(), prefix) == 0) n++;
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return n;
}

// Runs InspectTable and returns what it printed.
Status Inspect(const std::string& path, const TableInspectOptions& options,
               TableInspectSummary* summary, std::string* output) {
  std::FILE* out = std::tmpfile();
  EXPECT_NE(out, nullptr);
  Status s = InspectTable(Env::Default(), path, options, out, summary);
  std::rewind(out);
  output->clear();
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), out)) > 0) output->append(buf, n);
  std::fclose(out);
  return s;
}

class TableInspectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.block_size = 512;  // many data blocks
    model_ = MakeModel();
    ASSERT_TRUE(test::BuildTable(options_, model_, &bytes_).ok());
    path_ = dir_.File("000042.sst");
    WriteFile(path_, bytes_);
  }

  strata::test::TempDir dir_;
  TableOptions options_;
  Model model_;
  std::string bytes_;
  std::string path_;
};

TEST_F(TableInspectorTest, IndexIteratorListsEveryDataBlockInFileOrder) {
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(test::OpenTable(options_, bytes_, &table).ok());
  auto index = table->NewIndexIterator();
  uint64_t blocks = 0;
  uint64_t next_offset = 0;
  std::string previous;
  for (index->SeekToFirst(); index->Valid(); index->Next()) {
    Slice value = index->value();
    BlockHandle handle;
    ASSERT_TRUE(handle.DecodeFrom(&value));
    EXPECT_TRUE(value.empty());
    EXPECT_EQ(handle.offset(), next_offset);
    next_offset = handle.offset() + handle.size() + kBlockTrailerSize;
    if (blocks > 0) {
      EXPECT_LT(previous, index->key().ToString());
    }
    previous = index->key().ToString();
    blocks++;
  }
  ASSERT_TRUE(index->status().ok());
  EXPECT_GT(blocks, 10u);
  EXPECT_EQ(blocks, table->properties().num_data_blocks);
  // The last separator is >= the last key.
  EXPECT_GE(previous, model_.rbegin()->first);
}

TEST_F(TableInspectorTest, IntactTablePrintsPropertiesIndexAndSummary) {
  TableInspectOptions options;
  TableInspectSummary summary;
  std::string output;
  Status s = Inspect(path_, options, &summary, &output);
  ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << output;
  EXPECT_EQ(summary.entries, static_cast<uint64_t>(kEntries));
  EXPECT_GT(summary.data_blocks, 10u);
  EXPECT_EQ(summary.errors, 0u);
  EXPECT_EQ(summary.comparator, BytewiseComparator()->Name());
  EXPECT_NE(output.find("file: " + path_ + " size=" + std::to_string(bytes_.size())),
            std::string::npos);
  EXPECT_NE(output.find("\nentries: 2000\n"), std::string::npos) << output;
  EXPECT_NE(output.find("\ncomparator: strata.BytewiseComparator\n"), std::string::npos);
  EXPECT_NE(output.find("\nsmallest_key: \"key100000\"\n"), std::string::npos) << output;
  EXPECT_NE(output.find("\nblock 0: offset=0 size="), std::string::npos);
  EXPECT_EQ(CountLines(output, "block "), summary.data_blocks);
  EXPECT_EQ(CountLines(output, "entry: "), 0u);
  EXPECT_NE(output.find("summary: entries=2000 data_blocks=" + std::to_string(summary.data_blocks)),
            std::string::npos);
  EXPECT_NE(output.find(" end=ok\n"), std::string::npos);
}

TEST_F(TableInspectorTest, PrintEntriesShowsEveryEntryWithPreview) {
  TableInspectOptions options;
  options.print_entries = true;
  options.preview_bytes = 4;
  TableInspectSummary summary;
  std::string output;
  ASSERT_TRUE(Inspect(path_, options, &summary, &output).ok()) << output;
  EXPECT_EQ(CountLines(output, "entry: "), static_cast<size_t>(kEntries));
  // Keys and values longer than the preview are cut and say how long they are: key100000 is
  // 9 bytes, value-0 is 7.
  EXPECT_NE(output.find("entry: key=\"key1\"...(9 bytes) value[7]=\"valu\"...(7 bytes)\n"),
            std::string::npos)
      << output.substr(0, 2000);
}

TEST_F(TableInspectorTest, FlippedDataByteIsAnErrorNamingFileAndOffset) {
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(test::OpenTable(options_, bytes_, &table).ok());
  auto index = table->NewIndexIterator();
  index->SeekToFirst();
  index->Next();
  index->Next();
  ASSERT_TRUE(index->Valid());
  Slice value = index->value();
  BlockHandle third;
  ASSERT_TRUE(third.DecodeFrom(&value));

  std::string damaged = bytes_;
  damaged[third.offset() + third.size() / 2] ^= 0x40;
  WriteFile(path_, damaged);
  TableInspectSummary summary;
  std::string output;
  Status s = Inspect(path_, TableInspectOptions(), &summary, &output);
  ASSERT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find(path_), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find("offset " + std::to_string(third.offset())), std::string::npos)
      << s.ToString();
  EXPECT_GE(summary.errors, 1u);
  EXPECT_LT(summary.entries, static_cast<uint64_t>(kEntries));
  EXPECT_NE(output.find("\nerror: Corruption: " + path_), std::string::npos) << output;
  EXPECT_NE(output.find(" end=error\n"), std::string::npos) << output;
}

TEST_F(TableInspectorTest, MissingFileAndGarbageAreErrorsNamingTheFile) {
  TableInspectSummary summary;
  std::string output;
  Status s = Inspect(dir_.File("absent.sst"), TableInspectOptions(), &summary, &output);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("absent.sst"), std::string::npos) << s.ToString();

  WriteFile(dir_.File("text.sst"), std::string(5000, 'x'));
  s = Inspect(dir_.File("text.sst"), TableInspectOptions(), &summary, &output);
  ASSERT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find("text.sst"), std::string::npos) << s.ToString();
}

// Written out by hand (docs/formats/sst.md): the user key, then 8 little-endian bytes of
// sequence << 8 | type, so a type the engine does not know can be planted too.
std::string InternalKeyBytes(const std::string& user_key, uint64_t sequence, uint8_t type) {
  std::string key = user_key;
  PutFixed64(&key, sequence << 8 | type);
  return key;
}

TEST(TableInspectorInternalKeysTest, TablesOfTheEngineAreOpenedAndTheirTrailersDecoded) {
  strata::test::TempDir dir;
  const memtable::InternalKeyComparator icmp(BytewiseComparator());
  TableOptions options;
  options.comparator = &icmp;
  Model model;
  model[InternalKeyBytes("apple", 7, 1)] = "red";
  model[InternalKeyBytes("banana", 9, 0)] = "";
  model[InternalKeyBytes("cherry", 3, 1)] = "dark";
  std::string bytes;
  ASSERT_TRUE(test::BuildTable(options, model, &bytes).ok());
  const std::string path = dir.File("000007.sst");
  WriteFile(path, bytes);

  // Recognised by its comparator's name alone: internal_keys is not set.
  TableInspectOptions inspect;
  inspect.print_entries = true;
  TableInspectSummary summary;
  std::string output;
  Status s = Inspect(path, inspect, &summary, &output);
  ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << output;
  EXPECT_EQ(summary.entries, 3u);
  EXPECT_EQ(summary.deletions, 1u);
  EXPECT_EQ(summary.comparator, icmp.Name());
  EXPECT_NE(output.find("entry: key=\"apple\" seq=7 type=put value[3]=\"red\"\n"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("entry: key=\"banana\" seq=9 type=del value[0]=\"\"\n"), std::string::npos);
  EXPECT_NE(output.find("smallest_key: \"apple\" seq=7 type=put\n"), std::string::npos);
}

TEST(TableInspectorInternalKeysTest, KeyWithUnknownTypeIsAnError) {
  strata::test::TempDir dir;
  Model model;
  model[InternalKeyBytes("apple", 7, 1)] = "red";
  model[InternalKeyBytes("pear", 8, 9)] = "green";  // type 9 does not exist
  std::string bytes;
  ASSERT_TRUE(test::BuildTable(TableOptions(), model, &bytes).ok());
  const std::string path = dir.File("000008.sst");
  WriteFile(path, bytes);
  TableInspectOptions inspect;
  inspect.internal_keys = true;  // forced for a bytewise table
  TableInspectSummary summary;
  std::string output;
  Status s = Inspect(path, inspect, &summary, &output);
  ASSERT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find("000008.sst"), std::string::npos);
  EXPECT_NE(output.find("type=unknown(9)"), std::string::npos) << output;
  EXPECT_NE(output.find(" end=error\n"), std::string::npos);
}

}  // namespace
}  // namespace strata::sst
