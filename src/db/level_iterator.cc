#include "db/level_iterator.h"

#include <algorithm>

#include "base/coding.h"
#include "base/error_iterator.h"
#include "base/forwarding_iterator.h"
#include "sst/two_level_iterator.h"

namespace strata {

namespace {

// The "index" of a level: one entry per file, keyed by the file's largest key, whose value
// is the file's position in the list (8 bytes).
class FileListIterator final : public Iterator {
 public:
  FileListIterator(const memtable::InternalKeyComparator* icmp, const FileList* files)
      : icmp_(icmp), files_(files), index_(files->size()) {}

  bool Valid() const override { return index_ < files_->size(); }
  void SeekToFirst() override { Set(0); }
  void SeekToLast() override { Set(files_->empty() ? 0 : files_->size() - 1); }
  void Seek(const Slice& target) override {
    // The first file whose largest key is >= target.
    auto it = std::lower_bound(
        files_->begin(), files_->end(), target,
        [this](const auto& f, const Slice& t) { return icmp_->Compare(f->largest, t) < 0; });
    Set(static_cast<size_t>(it - files_->begin()));
  }
  void SeekForPrev(const Slice& target) override {
    Seek(target);
    if (!Valid()) SeekToLast();
  }
  void Next() override { Set(index_ + 1); }
  void Prev() override { Set(index_ == 0 ? files_->size() : index_ - 1); }
  Slice key() const override { return (*files_)[index_]->largest; }
  Slice value() const override { return Slice(value_, sizeof(value_)); }
  Status status() const override { return Status::OK(); }

 private:
  void Set(size_t index) {
    index_ = std::min(index, files_->size());
    EncodeFixed64(value_, index_);
  }

  const memtable::InternalKeyComparator* const icmp_;
  const FileList* const files_;
  size_t index_;
  char value_[8];
};

}  // namespace

std::unique_ptr<Iterator> NewLevelIterator(const memtable::InternalKeyComparator* icmp,
                                           TableCache* table_cache, const FileList* files,
                                           const sst::TableReadOptions& read_options) {
  auto open_file = [table_cache, files,
                    read_options](const Slice& value) -> std::unique_ptr<Iterator> {
    const auto& f = (*files)[DecodeFixed64(value.data())];
    auto table = table_cache->Find(*f);
    if (!table.ok()) return NewErrorIterator(table.status());
    std::unique_ptr<Iterator> it = (*table)->NewIterator(read_options);
    return NewKeepAliveIterator(std::move(it), std::move(*table));
  };
  return sst::NewTwoLevelIterator(std::make_unique<FileListIterator>(icmp, files),
                                  std::move(open_file));
}

}  // namespace strata
