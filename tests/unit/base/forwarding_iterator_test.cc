// ForwardingIterator passes every call through; NewKeepAliveIterator releases what it keeps
// only after the iterator it wraps is gone.
#include "base/forwarding_iterator.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace strata {
namespace {

// A sorted map as an iterator; appends "destroyed" to *log when destroyed.
class MapIterator final : public Iterator {
 public:
  MapIterator(const std::map<std::string, std::string>* map, std::vector<std::string>* log)
      : map_(map), log_(log), it_(map->end()) {}
  ~MapIterator() override { log_->push_back("iterator destroyed"); }
  bool Valid() const override { return it_ != map_->end(); }
  void SeekToFirst() override { it_ = map_->begin(); }
  void SeekToLast() override { it_ = map_->empty() ? map_->end() : std::prev(map_->end()); }
  void Seek(const Slice& t) override { it_ = map_->lower_bound(t.ToString()); }
  void SeekForPrev(const Slice& t) override {
    it_ = map_->upper_bound(t.ToString());
    it_ = it_ == map_->begin() ? map_->end() : std::prev(it_);
  }
  void Next() override { ++it_; }
  void Prev() override { it_ = it_ == map_->begin() ? map_->end() : std::prev(it_); }
  Slice key() const override { return it_->first; }
  Slice value() const override { return it_->second; }
  Status status() const override { return Status::Corruption("from the inner iterator"); }

 private:
  const std::map<std::string, std::string>* map_;
  std::vector<std::string>* log_;
  std::map<std::string, std::string>::const_iterator it_;
};

struct Resource {
  explicit Resource(std::vector<std::string>* log) : log(log) {}
  ~Resource() { log->push_back("resource released"); }
  std::vector<std::string>* log;
};

TEST(ForwardingIterator, PassesEveryCallThrough) {
  const std::map<std::string, std::string> map = {{"a", "1"}, {"c", "3"}, {"e", "5"}};
  std::vector<std::string> log;
  ForwardingIterator it(std::make_unique<MapIterator>(&map, &log));
  it.SeekToFirst();
  ASSERT_TRUE(it.Valid());
  EXPECT_EQ(it.key().ToString(), "a");
  EXPECT_EQ(it.value().ToString(), "1");
  it.Next();
  EXPECT_EQ(it.key().ToString(), "c");
  it.Seek("d");
  EXPECT_EQ(it.key().ToString(), "e");
  it.SeekForPrev("d");
  EXPECT_EQ(it.key().ToString(), "c");
  it.Prev();
  EXPECT_EQ(it.key().ToString(), "a");
  it.Prev();
  EXPECT_FALSE(it.Valid());
  it.SeekToLast();
  EXPECT_EQ(it.value().ToString(), "5");
  EXPECT_TRUE(it.status().IsCorruption());
}

TEST(ForwardingIterator, KeepsItsResourceUntilTheInnerIteratorIsGone) {
  const std::map<std::string, std::string> map = {{"k", "v"}};
  std::vector<std::string> log;
  auto resource = std::make_shared<Resource>(&log);
  {
    auto it = NewKeepAliveIterator(std::make_unique<MapIterator>(&map, &log), resource);
    resource.reset();  // the iterator now holds the only reference
    EXPECT_TRUE(log.empty());
    it->SeekToFirst();
    EXPECT_EQ(it->key().ToString(), "k");
  }
  const std::vector<std::string> expected = {"iterator destroyed", "resource released"};
  EXPECT_EQ(log, expected);
}

}  // namespace
}  // namespace strata
