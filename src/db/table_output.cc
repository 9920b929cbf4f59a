#include "db/table_output.h"

#include "db/filename.h"

namespace strata {

TableOutput::TableOutput(Env* env, std::string db, const sst::TableOptions& options,
                         RateLimiter* limiter)
    : env_(env), db_(std::move(db)), options_(options), limiter_(limiter) {}

TableOutput::~TableOutput() { Abandon(); }

Status TableOutput::Open(uint64_t number) {
  Abandon();
  number_ = number;
  paced_bytes_ = 0;
  Status s = env_->NewWritableFile(TableFileName(db_, number), {}, &file_);
  if (!s.ok()) return s;
  builder_ = std::make_unique<sst::TableBuilder>(options_, file_.get());
  return Status::OK();
}

Status TableOutput::Add(const Slice& key, const Slice& value) {
  Status s = builder_->Add(key, value);
  if (limiter_ != nullptr && builder_->FileSize() > paced_bytes_ + (64 << 10)) {
    limiter_->Request(builder_->FileSize() - paced_bytes_);
    paced_bytes_ = builder_->FileSize();
  }
  return s;
}

Status TableOutput::Finish(FileMetaData* meta) {
  meta->number = number_;
  meta->file_size = 0;
  if (builder_->NumEntries() == 0) {
    Abandon();
    return Status::OK();
  }
  Status s = builder_->Finish();
  if (s.ok()) s = file_->Sync();
  Status c = file_->Close();
  if (s.ok()) s = c;
  if (!s.ok()) {
    builder_.reset();
    file_.reset();
    (void)env_->DeleteFile(TableFileName(db_, number_));
    return s;
  }
  const sst::TableProperties& props = builder_->properties();
  meta->file_size = builder_->FileSize();
  meta->smallest = props.smallest_key;
  meta->largest = props.largest_key;
  meta->smallest_sequence = props.min_sequence;
  meta->largest_sequence = props.max_sequence;
  builder_.reset();
  file_.reset();
  return Status::OK();
}

void TableOutput::Abandon() {
  if (!builder_) return;
  builder_->Abandon();
  builder_.reset();
  (void)file_->Close();
  file_.reset();
  (void)env_->DeleteFile(TableFileName(db_, number_));
}

}  // namespace strata
