#include "sst/two_level_iterator.h"

namespace strata::sst {

namespace {

class TwoLevelIterator final : public Iterator {
 public:
  TwoLevelIterator(std::unique_ptr<Iterator> index_iter, BlockOpener open_block)
      : index_(std::move(index_iter)), open_block_(std::move(open_block)) {}

  bool Valid() const override { return data_ != nullptr && data_->Valid(); }
  Slice key() const override { return data_->key(); }
  Slice value() const override { return data_->value(); }

  Status status() const override {
    if (!status_.ok()) return status_;
    if (!index_->status().ok()) return index_->status();
    if (data_ != nullptr && !data_->status().ok()) return data_->status();
    return status_;
  }

  void SeekToFirst() override {
    index_->SeekToFirst();
    OpenBlock();
    if (data_ != nullptr) data_->SeekToFirst();
    SkipEmptyForward();
  }

  void SeekToLast() override {
    index_->SeekToLast();
    OpenBlock();
    if (data_ != nullptr) data_->SeekToLast();
    SkipEmptyBackward();
  }

  void Seek(const Slice& target) override {
    index_->Seek(target);
    OpenBlock();
    if (data_ != nullptr) data_->Seek(target);
    SkipEmptyForward();
  }

  void SeekForPrev(const Slice& target) override {
    // The block holding the last key <= target is the one Seek lands on, or the one before
    // it when every key of that block is > target.
    index_->Seek(target);
    if (!index_->Valid() && index_->status().ok()) index_->SeekToLast();
    OpenBlock();
    if (data_ != nullptr) data_->SeekForPrev(target);
    SkipEmptyBackward();
  }

  void Next() override {
    data_->Next();
    SkipEmptyForward();
  }

  void Prev() override {
    data_->Prev();
    SkipEmptyBackward();
  }

 private:
  // True when the data level failed and iteration must stop there.
  bool DataFailed() const { return data_ != nullptr && !data_->status().ok(); }

  void SkipEmptyForward() {
    while (data_ == nullptr || !data_->Valid()) {
      if (DataFailed() || !index_->Valid()) return;
      index_->Next();
      OpenBlock();
      if (data_ != nullptr) data_->SeekToFirst();
    }
  }

  void SkipEmptyBackward() {
    while (data_ == nullptr || !data_->Valid()) {
      if (DataFailed() || !index_->Valid()) return;
      index_->Prev();
      OpenBlock();
      if (data_ != nullptr) data_->SeekToLast();
    }
  }

  // Opens the block of the current index entry (none when the index is not valid). The same
  // block stays open when the index entry did not change.
  void OpenBlock() {
    if (!index_->Valid()) {
      if (DataFailed() && status_.ok()) status_ = data_->status();
      data_.reset();
      return;
    }
    const Slice handle = index_->value();
    if (data_ != nullptr && handle == Slice(data_handle_)) return;
    if (DataFailed() && status_.ok()) status_ = data_->status();  // errors stick
    data_ = open_block_(handle);
    data_handle_.assign(handle.data(), handle.size());
  }

  std::unique_ptr<Iterator> index_;
  BlockOpener open_block_;
  std::unique_ptr<Iterator> data_;  // null when the index is not on an entry
  std::string data_handle_;         // index value data_ was opened from
  Status status_;                   // the first error of a data block already closed
};

}  // namespace

std::unique_ptr<Iterator> NewTwoLevelIterator(std::unique_ptr<Iterator> index_iter,
                                              BlockOpener open_block) {
  return std::make_unique<TwoLevelIterator>(std::move(index_iter), std::move(open_block));
}

}  // namespace strata::sst
