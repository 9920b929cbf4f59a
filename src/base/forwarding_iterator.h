// ForwardingIterator: an iterator that passes every call to the iterator it wraps.
//
// Two things are built on it instead of written out again each time:
//  - keeping something alive for as long as an iterator reads from it (a table reader, a
//    Version pinning the files below it): NewKeepAliveIterator;
//  - changing one or two calls (a subclass overriding Seek, say) and passing the rest.
#pragma once

#include <memory>
#include <utility>

#include "strata/iterator.h"

namespace strata {

class ForwardingIterator : public Iterator {
 public:
  // keep_alive, if any, is released only after `inner` is destroyed, so inner may read from
  // what it holds until its last moment.
  explicit ForwardingIterator(std::unique_ptr<Iterator> inner,
                              std::shared_ptr<const void> keep_alive = nullptr)
      : keep_alive_(std::move(keep_alive)), inner_(std::move(inner)) {}

  bool Valid() const override { return inner_->Valid(); }
  void SeekToFirst() override { inner_->SeekToFirst(); }
  void SeekToLast() override { inner_->SeekToLast(); }
  void Seek(const Slice& target) override { inner_->Seek(target); }
  void SeekForPrev(const Slice& target) override { inner_->SeekForPrev(target); }
  void Next() override { inner_->Next(); }
  void Prev() override { inner_->Prev(); }
  Slice key() const override { return inner_->key(); }
  Slice value() const override { return inner_->value(); }
  Status status() const override { return inner_->status(); }

 protected:
  Iterator* inner() const { return inner_.get(); }

 private:
  // Declared first, so destroyed last: after inner_.
  std::shared_ptr<const void> keep_alive_;
  std::unique_ptr<Iterator> inner_;
};

// `inner`, holding `keep_alive` until inner is gone.
inline std::unique_ptr<Iterator> NewKeepAliveIterator(std::unique_ptr<Iterator> inner,
                                                      std::shared_ptr<const void> keep_alive) {
  return std::make_unique<ForwardingIterator>(std::move(inner), std::move(keep_alive));
}

}  // namespace strata
