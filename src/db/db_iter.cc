#include "db/db_iter.h"

#include <string>

namespace strata {

namespace {

// Invariants:
//  - Forward direction: when valid, internal_ is at the entry that gives key()/value().
//  - Reverse direction: when valid, internal_ is at the last entry of the user key *before*
//    key() (or invalid), and key()/value() come from saved_key_/saved_value_.
class DBIter final : public Iterator {
 public:
  DBIter(const Comparator* ucmp, std::unique_ptr<Iterator> internal,
         memtable::SequenceNumber sequence)
      : ucmp_(ucmp), internal_(std::move(internal)), sequence_(sequence) {}

  bool Valid() const override { return valid_; }
  Slice key() const override {
    return direction_ == kForward ? memtable::ExtractUserKey(internal_->key()) : Slice(saved_key_);
  }
  Slice value() const override {
    return direction_ == kForward ? internal_->value() : Slice(saved_value_);
  }
  Status status() const override { return status_.ok() ? internal_->status() : status_; }

  void SeekToFirst() override {
    direction_ = kForward;
    internal_->SeekToFirst();
    FindNextVisible(false);
  }

  void Seek(const Slice& target) override {
    direction_ = kForward;
    std::string ikey;
    memtable::AppendInternalKey(&ikey, {target, sequence_, memtable::ValueType::kValue});
    internal_->Seek(ikey);
    FindNextVisible(false);
  }

  void SeekToLast() override {
    direction_ = kReverse;
    internal_->SeekToLast();
    FindPrevVisible();
  }

  void SeekForPrev(const Slice& target) override {
    direction_ = kReverse;
    // (target, 0, deletion) is the last possible internal key of user key target.
    std::string ikey;
    memtable::AppendInternalKey(&ikey, {target, 0, memtable::ValueType::kDeletion});
    internal_->SeekForPrev(ikey);
    FindPrevVisible();
  }

  void Next() override {
    if (direction_ == kReverse) {
      // internal_ is before the entries of key(): step into them, then past them.
      direction_ = kForward;
      if (internal_->Valid()) {
        internal_->Next();
      } else {
        internal_->SeekToFirst();
      }
      skip_key_ = saved_key_;
    } else {
      skip_key_ = memtable::ExtractUserKey(internal_->key()).ToString();
      internal_->Next();
    }
    FindNextVisible(true);
  }

  void Prev() override {
    if (direction_ == kForward) {
      // Move internal_ back before every entry of the current key.
      saved_key_ = memtable::ExtractUserKey(internal_->key()).ToString();
      while (true) {
        internal_->Prev();
        if (!internal_->Valid()) break;
        if (ucmp_->Compare(memtable::ExtractUserKey(internal_->key()), saved_key_) < 0) break;
      }
      direction_ = kReverse;
      if (!internal_->Valid()) {
        valid_ = false;
        return;
      }
    }
    FindPrevVisible();
  }

 private:
  enum Direction { kForward, kReverse };

  bool Parse(memtable::ParsedInternalKey* k) {
    if (memtable::ParseInternalKey(internal_->key(), k)) return true;
    status_ = Status::Corruption("DB iterator", "malformed internal key");
    valid_ = false;
    return false;
  }

  // Forward: stops at the first entry that is the newest visible version of its user key
  // and a value. With skipping, user keys <= skip_key_ are passed over.
  void FindNextVisible(bool skipping) {
    valid_ = false;
    for (; internal_->Valid(); internal_->Next()) {
      memtable::ParsedInternalKey k;
      if (!Parse(&k)) return;
      if (k.sequence > sequence_) continue;  // newer than the snapshot
      if (skipping && ucmp_->Compare(k.user_key, skip_key_) <= 0) continue;  // older version
      if (k.type == memtable::ValueType::kDeletion) {
        // Every older version of this key is hidden by the deletion.
        skip_key_ = k.user_key.ToString();
        skipping = true;
        continue;
      }
      valid_ = true;
      return;
    }
  }

  // Reverse: internal_ is at the last entry of some user key (or invalid). Walks back
  // through user keys until one whose newest visible version is a value; leaves internal_
  // at the last entry of the key before it.
  void FindPrevVisible() {
    memtable::ValueType found =
        memtable::ValueType::kDeletion;  // kDeletion: nothing visible collected yet
    while (internal_->Valid()) {
      memtable::ParsedInternalKey k;
      if (!Parse(&k)) return;
      if (k.sequence <= sequence_) {
        if (found == memtable::ValueType::kValue && ucmp_->Compare(k.user_key, saved_key_) < 0) {
          break;  // saved_key_ holds a visible value and we reached the key before it
        }
        found = k.type;
        if (found == memtable::ValueType::kValue) {
          saved_key_ = k.user_key.ToString();
          saved_value_ = internal_->value().ToString();
        } else {
          saved_key_.clear();
          saved_value_.clear();
        }
      }
      internal_->Prev();
    }
    valid_ = found == memtable::ValueType::kValue;
    if (!valid_) {
      saved_key_.clear();
      saved_value_.clear();
    }
  }

  const Comparator* const ucmp_;
  const std::unique_ptr<Iterator> internal_;
  const memtable::SequenceNumber sequence_;
  Direction direction_ = kForward;
  bool valid_ = false;
  Status status_;
  std::string saved_key_;    // reverse: key(); forward: scratch for Prev()
  std::string saved_value_;  // reverse: value()
  std::string skip_key_;     // forward: user key whose older versions are skipped
};

}  // namespace

std::unique_ptr<Iterator> NewDBIterator(const Comparator* user_comparator,
                                        std::unique_ptr<Iterator> internal,
                                        memtable::SequenceNumber sequence) {
  return std::make_unique<DBIter>(user_comparator, std::move(internal), sequence);
}

}  // namespace strata
