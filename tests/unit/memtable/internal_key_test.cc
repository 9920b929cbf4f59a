#include "memtable/internal_key.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "base/coding.h"
#include "base/random.h"
#include "support/test_util.h"

namespace strata::memtable {
namespace {

std::string IKey(const std::string& user_key, SequenceNumber seq, ValueType type) {
  std::string result;
  AppendInternalKey(&result, ParsedInternalKey{user_key, seq, type});
  return result;
}

// The model order, written independently of the code under test: user key ascending
// (std::string compares bytes as unsigned), then sequence descending, then type descending.
struct ModelKey {
  std::string user_key;
  SequenceNumber seq;
  ValueType type;
};
int ModelCompare(const ModelKey& a, const ModelKey& b) {
  if (a.user_key != b.user_key) return a.user_key < b.user_key ? -1 : 1;
  if (a.seq != b.seq) return a.seq > b.seq ? -1 : 1;
  if (a.type != b.type) return a.type > b.type ? -1 : 1;
  return 0;
}
int Sign(int v) { return (v > 0) - (v < 0); }

// Short random keys over a small alphabet that includes 0x00 and 0xff, so prefixes, equal
// user keys and bytes that cannot be incremented are all common.
std::string RandomUserKey(Random* rnd, int max_len) {
  static const char kAlphabet[] = {'\x00', 'a', 'b', 'c', '\x7f', '\x80', '\xfe', '\xff'};
  std::string s(rnd->Uniform(static_cast<uint32_t>(max_len) + 1), '\0');
  for (char& c : s) c = kAlphabet[rnd->Uniform(sizeof(kAlphabet))];
  return s;
}

SequenceNumber RandomSequence(Random* rnd) {
  switch (rnd->Uniform(4)) {
    case 0:
      return 0;
    case 1:
      return kMaxSequenceNumber - rnd->Uniform(3);
    default:
      return rnd->Uniform(5);
  }
}

TEST(InternalKeyTest, TrailerLayout) {
  // user key, then little-endian (sequence << 8 | type).
  const std::string k = IKey("k", 0x0102030405ull, ValueType::kValue);
  const std::string expected =
      std::string("k") + std::string("\x01\x05\x04\x03\x02\x01\x00\x00", 8);
  EXPECT_EQ(k, expected);
  const std::string d = IKey("", kMaxSequenceNumber, ValueType::kDeletion);
  EXPECT_EQ(d, std::string("\x00\xff\xff\xff\xff\xff\xff\xff", 8));
}

TEST(InternalKeyTest, EncodeParseRoundTrip) {
  const std::vector<std::string> keys = {"",      "a",        std::string("\0\0", 2),
                                         "hello", "\xff\xff", std::string(300, 'x')};
  const std::vector<SequenceNumber> seqs = {
      0, 1, 255, 256, 1ull << 40, kMaxSequenceNumber - 1, kMaxSequenceNumber};
  for (const auto& key : keys) {
    for (SequenceNumber seq : seqs) {
      for (ValueType type : {ValueType::kValue, ValueType::kDeletion}) {
        const std::string ikey = IKey(key, seq, type);
        ASSERT_EQ(ikey.size(), key.size() + 8);
        ParsedInternalKey parsed;
        ASSERT_TRUE(ParseInternalKey(ikey, &parsed));
        EXPECT_EQ(parsed.user_key.ToString(), key);
        EXPECT_EQ(parsed.sequence, seq);
        EXPECT_EQ(parsed.type, type);
        EXPECT_EQ(ExtractUserKey(ikey).ToString(), key);
      }
    }
  }
}

TEST(InternalKeyTest, ParseRejectsBadKeys) {
  ParsedInternalKey parsed;
  EXPECT_FALSE(ParseInternalKey(Slice(), &parsed));
  EXPECT_FALSE(ParseInternalKey(Slice("1234567"), &parsed));
  for (int type : {2, 3, 0x7f, 0xff}) {
    std::string bad = "user";
    PutFixed64(&bad, (uint64_t{7} << 8) | static_cast<uint64_t>(type));
    EXPECT_FALSE(ParseInternalKey(bad, &parsed)) << type;
  }
  // Exactly a trailer: an empty user key is valid.
  std::string empty_user;
  PutFixed64(&empty_user, (uint64_t{9} << 8) | 1);
  ASSERT_TRUE(ParseInternalKey(empty_user, &parsed));
  EXPECT_TRUE(parsed.user_key.empty());
  EXPECT_EQ(parsed.sequence, 9u);
}

TEST(InternalKeyTest, OrderMatchesModel) {
  InternalKeyComparator icmp(BytewiseComparator());
  EXPECT_STREQ(icmp.Name(), "strata.InternalKeyComparator");
  Random rnd(17);
  std::vector<ModelKey> keys;
  for (int i = 0; i < 300; i++) {
    keys.push_back({RandomUserKey(&rnd, 3), RandomSequence(&rnd),
                    rnd.OneIn(2) ? ValueType::kValue : ValueType::kDeletion});
  }
  for (const auto& a : keys) {
    for (const auto& b : keys) {
      ASSERT_EQ(
          Sign(icmp.Compare(IKey(a.user_key, a.seq, a.type), IKey(b.user_key, b.seq, b.type))),
          ModelCompare(a, b));
    }
  }
}

TEST(InternalKeyTest, FixedOrderExamples) {
  InternalKeyComparator icmp(BytewiseComparator());
  // Newer versions of the same user key come first; deletion after value at equal sequence.
  EXPECT_LT(icmp.Compare(IKey("a", 5, ValueType::kValue), IKey("a", 4, ValueType::kValue)), 0);
  EXPECT_LT(icmp.Compare(IKey("a", 5, ValueType::kValue), IKey("a", 5, ValueType::kDeletion)), 0);
  EXPECT_LT(icmp.Compare(IKey("a", 0, ValueType::kDeletion),
                         IKey("b", kMaxSequenceNumber, ValueType::kValue)),
            0);
  EXPECT_LT(icmp.Compare(IKey("", 0, ValueType::kDeletion),
                         IKey(std::string(1, '\0'), 9, ValueType::kValue)),
            0);
  EXPECT_EQ(icmp.Compare(IKey("a", 3, ValueType::kValue), IKey("a", 3, ValueType::kValue)), 0);
}

// start <= result < limit in internal order, for random start < limit.
TEST(InternalKeyTest, ShortestSeparatorStaysInRange) {
  InternalKeyComparator icmp(BytewiseComparator());
  Random rnd(99);
  int shortened = 0;
  const int iterations = test::Iterations(20000, 500000);
  for (int i = 0; i < iterations; i++) {
    std::string a = IKey(RandomUserKey(&rnd, 6), RandomSequence(&rnd), ValueType::kValue);
    std::string b = IKey(RandomUserKey(&rnd, 6), RandomSequence(&rnd), ValueType::kDeletion);
    if (icmp.Compare(a, b) == 0) continue;
    if (icmp.Compare(a, b) > 0) std::swap(a, b);
    std::string result = a;
    icmp.FindShortestSeparator(&result, b);
    ASSERT_GE(result.size(), 8u);
    ASSERT_LE(icmp.Compare(a, result), 0);
    ASSERT_LT(icmp.Compare(result, b), 0);
    ParsedInternalKey parsed;
    ASSERT_TRUE(ParseInternalKey(result, &parsed));
    if (result != a) {
      shortened++;
      ASSERT_LT(result.size(), a.size());
      EXPECT_EQ(parsed.sequence, kMaxSequenceNumber);
      EXPECT_EQ(parsed.type, ValueType::kValue);
    }
  }
  EXPECT_GT(shortened, iterations / 20);  // the property is not vacuous
}

TEST(InternalKeyTest, ShortestSeparatorExamples) {
  InternalKeyComparator icmp(BytewiseComparator());
  std::string s = IKey("foo", 100, ValueType::kValue);
  icmp.FindShortestSeparator(&s, IKey("hello", 200, ValueType::kValue));
  EXPECT_EQ(s, IKey("g", kMaxSequenceNumber, ValueType::kValue));
  // Same user key: nothing shorter fits between the two.
  s = IKey("foo", 100, ValueType::kValue);
  icmp.FindShortestSeparator(&s, IKey("foo", 99, ValueType::kValue));
  EXPECT_EQ(s, IKey("foo", 100, ValueType::kValue));
  // A prefix of the limit: unchanged.
  s = IKey("foo", 100, ValueType::kValue);
  icmp.FindShortestSeparator(&s, IKey("foobar", 200, ValueType::kValue));
  EXPECT_EQ(s, IKey("foo", 100, ValueType::kValue));
}

TEST(InternalKeyTest, ShortSuccessorIsNotSmaller) {
  InternalKeyComparator icmp(BytewiseComparator());
  Random rnd(7);
  for (int i = 0; i < 20000; i++) {
    const std::string a = IKey(RandomUserKey(&rnd, 6), RandomSequence(&rnd), ValueType::kValue);
    std::string result = a;
    icmp.FindShortSuccessor(&result);
    ASSERT_LE(icmp.Compare(a, result), 0);
    ParsedInternalKey parsed;
    ASSERT_TRUE(ParseInternalKey(result, &parsed));
  }
  std::string s = IKey("foo", 100, ValueType::kValue);
  icmp.FindShortSuccessor(&s);
  EXPECT_EQ(s, IKey("g", kMaxSequenceNumber, ValueType::kValue));
  s = IKey("\xff\xff", 100, ValueType::kValue);
  icmp.FindShortSuccessor(&s);
  EXPECT_EQ(s, IKey("\xff\xff", 100, ValueType::kValue));
}

// A user comparator whose space savers break their contract: the internal comparator must
// not pass their results on.
class MisbehavingComparator final : public Comparator {
 public:
  int Compare(const Slice& a, const Slice& b) const override { return a.compare(b); }
  const char* Name() const override { return "test.Misbehaving"; }
  void FindShortestSeparator(std::string* start, const Slice&) const override { start->clear(); }
  void FindShortSuccessor(std::string* key) const override { key->clear(); }
};

TEST(InternalKeyTest, OutOfRangeUserResultsAreIgnored) {
  MisbehavingComparator user;
  InternalKeyComparator icmp(&user);
  std::string s = IKey("foo", 1, ValueType::kValue);
  icmp.FindShortestSeparator(&s, IKey("zzz", 1, ValueType::kValue));
  EXPECT_EQ(s, IKey("foo", 1, ValueType::kValue));
  icmp.FindShortSuccessor(&s);
  EXPECT_EQ(s, IKey("foo", 1, ValueType::kValue));
}

TEST(LookupKeyTest, Forms) {
  for (size_t len : {0, 1, 100, 119, 120, 121, 200, 100000}) {
    const std::string user = test::RandomBytes(len, len);
    const SequenceNumber seq = 12345 + len;
    LookupKey lkey(user, seq);
    const std::string ikey = IKey(user, seq, ValueType::kValue);
    EXPECT_EQ(lkey.user_key().ToString(), user);
    EXPECT_EQ(lkey.internal_key().ToString(), ikey);
    std::string memkey;
    PutVarint32(&memkey, static_cast<uint32_t>(ikey.size()));
    memkey += ikey;
    EXPECT_EQ(lkey.memtable_key().ToString(), memkey);
  }
}

}  // namespace
}  // namespace strata::memtable
