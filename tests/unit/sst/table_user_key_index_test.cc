// Tables whose keys carry a user key (here: a 10-byte user key and an 8-byte big-endian
// suffix, so bytewise order is user key, then suffix) index their blocks by user key when no
// user key spans two blocks, and fall back to whole keys when one does. Either way every
// lookup, seek and scan must match a model.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "sst/table_builder.h"
#include "sst/table_reader.h"
#include "sst_test_util.h"
#include "support/iterator_checks.h"

namespace strata::sst {
namespace {

using Model = std::map<std::string, std::string>;

std::string Key(int user, uint64_t suffix) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "u%09d", user);
  std::string k(buf);
  for (int shift = 56; shift >= 0; shift -= 8) k.push_back(static_cast<char>(suffix >> shift));
  return k;
}

// Keys are a user key (any length) and an 8-byte suffix, ordered by user key, then suffix.
// Separators shorten the user key only and take the smallest suffix, so every key the
// builder makes keeps the form user_key can split (as the engine's internal keys do).
class UserPlusSuffixComparator final : public Comparator {
 public:
  int Compare(const Slice& a, const Slice& b) const override {
    const int r = User(a).compare(User(b));
    return r != 0 ? r : Suffix(a).compare(Suffix(b));
  }
  const char* Name() const override { return "test.UserPlusSuffix"; }
  void FindShortestSeparator(std::string* start, const Slice& limit) const override {
    std::string user = User(*start).ToString();
    BytewiseComparator()->FindShortestSeparator(&user, User(limit));
    if (user.size() < User(*start).size()) *start = user + std::string(8, '\0');
  }
  void FindShortSuccessor(std::string* key) const override {
    std::string user = User(*key).ToString();
    BytewiseComparator()->FindShortSuccessor(&user);
    if (user.size() < User(*key).size()) *key = user + std::string(8, '\0');
  }
  static Slice User(const Slice& k) { return Slice(k.data(), k.size() - 8); }
  static Slice Suffix(const Slice& k) { return Slice(k.data() + k.size() - 8, 8); }
};

const UserPlusSuffixComparator kComparator;

TableOptions UserKeyOptions() {
  TableOptions options;
  options.comparator = &kComparator;
  options.block_size = 256;  // many blocks
  options.compression = CompressionType::kNone;
  options.user_key = [](const Slice& k) { return UserPlusSuffixComparator::User(k); };
  options.user_comparator = BytewiseComparator();
  return options;
}

// Every model key by InternalGet and Seek, well-formed targets between and around them, and
// full scans both ways.
void CheckTable(const TableReader& table, const Model& model) {
  auto it = table.NewIterator(TableReadOptions());
  ASSERT_NO_FATAL_FAILURE(strata::test::ExpectForwardScanMatches(it.get(), model));
  auto r = model.rbegin();
  for (it->SeekToLast(); it->Valid(); it->Prev(), ++r) {
    ASSERT_NE(r, model.rend());
    ASSERT_EQ(it->key().ToString(), r->first);
  }
  ASSERT_EQ(r, model.rend());
  for (const auto& [k, v] : model) {
    std::string found_key;
    std::string found_value;
    bool found = false;
    ASSERT_TRUE(table.InternalGet(TableReadOptions(), k, &found_key, &found_value, &found).ok());
    ASSERT_TRUE(found);
    ASSERT_EQ(found_key, k);
    ASSERT_EQ(found_value, v);
    it->Seek(k);
    ASSERT_TRUE(it->Valid());
    ASSERT_EQ(it->key().ToString(), k);
  }
  // Targets of the table's form that are not keys: the smallest and largest suffix of every
  // user key around the model's, compared with the model's lower_bound / upper_bound.
  for (int user = 0; user <= 3001; user += 7) {
    for (uint64_t suffix : {uint64_t{0}, ~uint64_t{0}}) {
      const std::string target = Key(user, suffix);
      auto expected = model.lower_bound(target);
      it->Seek(target);
      ASSERT_EQ(it->Valid(), expected != model.end()) << user;
      if (it->Valid()) {
        ASSERT_EQ(it->key().ToString(), expected->first);
      }
      auto before = model.upper_bound(target);
      it->SeekForPrev(target);
      ASSERT_EQ(it->Valid(), before != model.begin()) << user;
      if (it->Valid()) {
        ASSERT_EQ(it->key().ToString(), std::prev(before)->first);
      }
    }
  }
  ASSERT_TRUE(it->status().ok());
}

TEST(TableUserKeyIndex, UsedWhenNoUserKeySpansTwoBlocks) {
  Model model;
  std::mt19937_64 rng(1);
  for (int user = 0; user < 3000; user += 2) model[Key(user, rng() % 1000)] = std::string(20, 'v');
  std::string bytes;
  ASSERT_TRUE(test::BuildTable(UserKeyOptions(), model, &bytes).ok());
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(test::OpenTable(UserKeyOptions(), bytes, &table).ok());
  EXPECT_TRUE(table->properties().index_user_keys);
  EXPECT_GT(table->properties().num_data_blocks, 50u);
  CheckTable(*table, model);

  // Without a user-key extractor the table cannot be read: refused, never misread.
  TableOptions plain = UserKeyOptions();
  plain.user_key = nullptr;
  EXPECT_TRUE(test::OpenTable(plain, bytes, &table).IsInvalidArgument());
}

TEST(TableUserKeyIndex, WholeKeysWhenAUserKeySpansBlocks) {
  Model model;
  for (int user = 0; user < 3000; user += 3) model[Key(user, 1)] = std::string(20, 'v');
  // Many versions of one user key: they cannot fit one 256-byte block.
  for (uint64_t suffix = 0; suffix < 200; suffix++) model[Key(1500, suffix)] = "w";
  std::string bytes;
  ASSERT_TRUE(test::BuildTable(UserKeyOptions(), model, &bytes).ok());
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(test::OpenTable(UserKeyOptions(), bytes, &table).ok());
  EXPECT_FALSE(table->properties().index_user_keys);
  CheckTable(*table, model);
}

TEST(TableUserKeyIndex, UserKeyIndexIsSmaller) {
  Model model;
  for (int user = 0; user < 3000; user++) model[Key(user, 7)] = std::string(20, 'v');
  std::string with_user_keys;
  std::string whole_keys;
  ASSERT_TRUE(test::BuildTable(UserKeyOptions(), model, &with_user_keys).ok());
  TableOptions plain = UserKeyOptions();
  plain.user_key = nullptr;
  ASSERT_TRUE(test::BuildTable(plain, model, &whole_keys).ok());
  std::unique_ptr<TableReader> a;
  std::unique_ptr<TableReader> b;
  ASSERT_TRUE(test::OpenTable(UserKeyOptions(), with_user_keys, &a).ok());
  ASSERT_TRUE(test::OpenTable(plain, whole_keys, &b).ok());
  EXPECT_LT(a->properties().index_size, b->properties().index_size);
  EXPECT_EQ(a->properties().num_data_blocks, b->properties().num_data_blocks);
}

}  // namespace
}  // namespace strata::sst
