// In-memory files and a builder helper for the sst tests.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "sst/table_builder.h"
#include "sst/table_reader.h"
#include "strata/env.h"

namespace strata::sst::test {

// A WritableFile that appends to a string.
class StringSink final : public WritableFile {
 public:
  Status Append(const Slice& data) override {
    contents_.append(data.data(), data.size());
    return Status::OK();
  }
  Status Flush() override { return Status::OK(); }
  Status Sync() override { return Status::OK(); }
  Status SyncFlushed() override { return Status::OK(); }
  Status Close() override { return Status::OK(); }
  uint64_t Size() const override { return contents_.size(); }
  std::string& contents() { return contents_; }

 private:
  std::string contents_;
};

// A RandomAccessFile over a copy of some bytes.
class StringSource final : public RandomAccessFile {
 public:
  explicit StringSource(std::string contents) : contents_(std::move(contents)) {}
  Status Read(uint64_t offset, size_t n, Slice* result, char* scratch) const override {
    if (offset > contents_.size()) {
      *result = Slice();
      return Status::OK();
    }
    const size_t take = std::min<uint64_t>(n, contents_.size() - offset);
    std::memcpy(scratch, contents_.data() + offset, take);
    *result = Slice(scratch, take);
    return Status::OK();
  }

 private:
  const std::string contents_;
};

// Builds a table from model; the file's bytes go to *file.
inline Status BuildTable(const TableOptions& options,
                         const std::map<std::string, std::string>& model, std::string* file) {
  StringSink sink;
  TableBuilder builder(options, &sink);
  for (const auto& [k, v] : model) {
    Status s = builder.Add(k, v);
    if (!s.ok()) {
      builder.Abandon();
      return s;
    }
  }
  Status s = builder.Finish();
  if (s.ok() && builder.FileSize() != sink.contents().size()) {
    return Status::Corruption("FileSize() disagrees with the bytes written");
  }
  *file = std::move(sink.contents());
  return s;
}

inline Status OpenTable(const TableOptions& options, const std::string& bytes,
                        std::unique_ptr<TableReader>* table, const std::string& name = "t.sst") {
  return TableReader::Open(options, name, std::make_unique<StringSource>(bytes), bytes.size(),
                           table);
}

}  // namespace strata::sst::test
