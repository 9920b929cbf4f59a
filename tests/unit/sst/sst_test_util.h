// Helpers for the sst tests: a table built from a model into a string, and opened from one.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "sst/table_builder.h"
#include "sst/table_reader.h"
#include "testing/string_file.h"

namespace strata::sst::test {

// Builds a table from model; the file's bytes go to *file.
inline Status BuildTable(const TableOptions& options,
                         const std::map<std::string, std::string>& model, std::string* file) {
  testing::StringWritableFile sink;
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

// Tests keep the out-parameter form: most assert on the status, then use the table.
inline Status OpenTable(const TableOptions& options, const std::string& bytes,
                        std::unique_ptr<TableReader>* table, const std::string& name = "t.sst") {
  auto opened = TableReader::Open(
      options, name, std::make_unique<testing::StringRandomAccessFile>(bytes), bytes.size());
  if (!opened.ok()) {
    table->reset();
    return opened.status();
  }
  *table = std::move(*opened);
  return Status::OK();
}

}  // namespace strata::sst::test
