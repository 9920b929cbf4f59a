#include "parquet/parquet_writer.h"

#include <algorithm>
#include <atomic>
#include <mutex>

#include "parquet/created_by.h"

namespace strata::parquet {

namespace {

constexpr char kMagic[4] = {'P', 'A', 'R', '1'};
// Rows handed to the column writers per step: small enough that the row-group byte limit
// is checked often, large enough that per-step overhead does not show.
constexpr size_t kStepRows = 64 * 1024;

}  // namespace

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Open(Env* env, const std::string& path,
                                                           const Schema& schema,
                                                           const WriterOptions& options) {
  std::unique_ptr<WritableFile> file;
  FileOptions fo;
  fo.write_buffer_size = 1 << 20;
  Status s = env->NewWritableFile(path, fo, &file);
  if (!s.ok()) return s;
  return Open(std::move(file), path, schema, options);
}

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Open(std::unique_ptr<WritableFile> file,
                                                           const std::string& name,
                                                           const Schema& schema,
                                                           const WriterOptions& options) {
  Status s = schema.Validate();
  if (!s.ok()) return s;
  if (options.row_group_rows == 0 || options.page_rows == 0 || options.page_bytes == 0) {
    return Status::InvalidArgument("row_group_rows, page_rows and page_bytes must be positive");
  }
  for (const SortingColumn& sc : options.sorting_columns) {
    if (sc.column_idx < 0 || static_cast<size_t>(sc.column_idx) >= schema.num_columns()) {
      return Status::InvalidArgument("sorting column index " + std::to_string(sc.column_idx),
                                     "is not a column of the schema");
    }
  }
  std::unique_ptr<ParquetWriter> w(new ParquetWriter(std::move(file), name, schema, options));
  s = w->Init();
  if (!s.ok()) return s;
  return w;
}

ParquetWriter::ParquetWriter(std::unique_ptr<WritableFile> file, std::string name, Schema schema,
                             WriterOptions options)
    : file_(std::move(file)),
      name_(std::move(name)),
      schema_(std::move(schema)),
      options_(std::move(options)) {}

ParquetWriter::~ParquetWriter() {
  if (file_ && !closed_) (void)file_->Close();
}

Status ParquetWriter::Init() {
  for (const ColumnSpec& c : schema_.columns()) {
    auto w = ColumnChunkWriter::Make(c, options_);
    if (!w.ok()) return w.status();
    columns_.push_back(std::move(*w));
  }
  finished_.resize(columns_.size());
  if (options_.threads > 1) pool_ = std::make_unique<ThreadPool>(options_.threads);
  metadata_.version = 1;
  metadata_.schema = schema_.ToSchemaElements();
  metadata_.created_by = CreatedBy();
  if (!options_.key_value_metadata.empty())
    metadata_.key_value_metadata = options_.key_value_metadata;
  metadata_.column_orders = std::vector<ColumnOrder>(columns_.size(), ColumnOrder::kTypeOrder);
  return Append(kMagic, sizeof(kMagic));
}

Status ParquetWriter::Fail(Status s) {
  if (error_.ok()) error_ = s;
  return s;
}

Status ParquetWriter::Append(const void* data, size_t n) {
  Status s = file_->Append(Slice(static_cast<const char*>(data), n));
  if (!s.ok()) return Fail(s);
  offset_ += n;
  return Status::OK();
}

Status ParquetWriter::ForEachColumn(const std::function<Status(size_t)>& fn) {
  if (!pool_) {
    for (size_t i = 0; i < columns_.size(); i++) {
      Status s = fn(i);
      if (!s.ok()) return s;
    }
    return Status::OK();
  }
  std::mutex mu;
  Status first;
  for (size_t i = 0; i < columns_.size(); i++) {
    pool_->Schedule([&, i] {
      Status s = fn(i);
      if (!s.ok()) {
        std::lock_guard lock(mu);
        if (first.ok()) first = s;
      }
    });
  }
  pool_->Wait();
  return first;
}

Status ParquetWriter::CheckBatch(const ColumnBatch& batch) const {
  if (!error_.ok()) return error_;
  if (closed_) return Status::InvalidArgument(name_, "write after Close");
  if (batch.num_columns() != schema_.num_columns()) {
    return Status::InvalidArgument(name_, "batch has " + std::to_string(batch.num_columns()) +
                                              " columns, the schema " +
                                              std::to_string(schema_.num_columns()));
  }
  for (size_t i = 0; i < schema_.num_columns(); i++) {
    const ColumnSpec& want = schema_.column(i);
    const ColumnSpec& got = batch.schema().column(i);
    if (got.physical != want.physical || got.optional != want.optional ||
        got.type_length != want.type_length) {
      return Status::InvalidArgument(
          name_, "column " + want.name + ": the batch's type or nullability differs");
    }
  }
  return batch.Validate();
}

Status ParquetWriter::Write(const ColumnBatch& batch) {
  Status s = CheckBatch(batch);
  if (!s.ok()) return s;
  return AppendRows(batch, batch.num_rows(), nullptr);
}

Status ParquetWriter::WriteRows(const ColumnBatch& batch, const std::vector<uint32_t>& rows) {
  Status s = CheckBatch(batch);
  if (!s.ok()) return s;
  for (uint32_t r : rows) {
    if (r >= batch.num_rows()) return Status::InvalidArgument(name_, "row index out of the batch");
  }
  return AppendRows(batch, rows.size(), rows.data());
}

Status ParquetWriter::AppendRows(const ColumnBatch& batch, size_t rows, const uint32_t* order) {
  size_t begin = 0;
  while (begin < rows) {
    const size_t n = std::min({rows - begin, options_.row_group_rows - row_group_rows_, kStepRows});
    Status s = ForEachColumn(
        [&](size_t i) { return columns_[i]->Append(batch.column(i), begin, begin + n, order); });
    if (!s.ok()) return Fail(s);
    begin += n;
    row_group_rows_ += n;
    rows_written_ += n;
    size_t bytes = 0;
    for (const auto& c : columns_) bytes += c->EncodedBytes();
    if (row_group_rows_ >= options_.row_group_rows || bytes >= options_.row_group_bytes) {
      s = FlushRowGroup();
      if (!s.ok()) return s;
    }
  }
  return Status::OK();
}

Status ParquetWriter::FlushRowGroup() {
  if (row_group_rows_ == 0) return Status::OK();
  Status s = ForEachColumn([&](size_t i) { return columns_[i]->Finish(&finished_[i]); });
  if (!s.ok()) return Fail(s);

  RowGroup rg;
  rg.num_rows = static_cast<int64_t>(row_group_rows_);
  rg.file_offset = static_cast<int64_t>(offset_);
  rg.ordinal = static_cast<int16_t>(std::min<size_t>(metadata_.row_groups.size(), 32767));
  if (!options_.sorting_columns.empty()) rg.sorting_columns = options_.sorting_columns;
  int64_t compressed = 0;
  std::vector<ColumnIndex> cis;
  std::vector<OffsetIndex> ois;
  for (FinishedChunk& f : finished_) {
    const auto base = static_cast<int64_t>(offset_);
    s = Append(f.bytes.data(), f.bytes.size());
    if (!s.ok()) return s;
    ColumnMetaData meta = std::move(f.meta);
    meta.data_page_offset += base;
    if (meta.dictionary_page_offset) *meta.dictionary_page_offset += base;
    for (PageLocation& loc : f.offset_index.page_locations) loc.offset += base;
    rg.total_byte_size += meta.total_uncompressed_size;
    compressed += meta.total_compressed_size;
    ColumnChunk cc;
    cc.file_offset = base;
    cc.meta_data = std::move(meta);
    rg.columns.push_back(std::move(cc));
    cis.push_back(f.column_index ? std::move(*f.column_index) : ColumnIndex());
    ois.push_back(std::move(f.offset_index));
  }
  rg.total_compressed_size = compressed;
  // Bloom filters follow the row group's chunks: each a header, then the bitset.
  for (size_t i = 0; i < finished_.size(); i++) {
    if (!finished_[i].bloom_filter) continue;
    BloomFilterHeader header;
    header.num_bytes = static_cast<int32_t>(finished_[i].bloom_filter->size());
    std::string bytes;
    header.Serialize(&bytes);
    bytes.append(*finished_[i].bloom_filter);
    ColumnMetaData& meta = *rg.columns[i].meta_data;
    meta.bloom_filter_offset = static_cast<int64_t>(offset_);
    meta.bloom_filter_length = static_cast<int32_t>(bytes.size());
    s = Append(bytes.data(), bytes.size());
    if (!s.ok()) return s;
  }
  metadata_.row_groups.push_back(std::move(rg));
  column_indexes_.push_back(std::move(cis));
  offset_indexes_.push_back(std::move(ois));
  metadata_.num_rows += static_cast<int64_t>(row_group_rows_);
  row_group_rows_ = 0;
  return Status::OK();
}

Status ParquetWriter::WritePageIndex() {
  // All column indexes, then all offset indexes, as other writers lay them out, so a reader
  // that wants one kind reads one contiguous range.
  for (size_t g = 0; g < metadata_.row_groups.size(); g++) {
    for (size_t c = 0; c < columns_.size(); c++) {
      const ColumnIndex& ci = column_indexes_[g][c];
      if (ci.null_pages.empty()) continue;
      std::string bytes;
      ci.Serialize(&bytes);
      ColumnChunk& cc = metadata_.row_groups[g].columns[c];
      cc.column_index_offset = static_cast<int64_t>(offset_);
      cc.column_index_length = static_cast<int32_t>(bytes.size());
      Status s = Append(bytes.data(), bytes.size());
      if (!s.ok()) return s;
    }
  }
  for (size_t g = 0; g < metadata_.row_groups.size(); g++) {
    for (size_t c = 0; c < columns_.size(); c++) {
      std::string bytes;
      offset_indexes_[g][c].Serialize(&bytes);
      ColumnChunk& cc = metadata_.row_groups[g].columns[c];
      cc.offset_index_offset = static_cast<int64_t>(offset_);
      cc.offset_index_length = static_cast<int32_t>(bytes.size());
      Status s = Append(bytes.data(), bytes.size());
      if (!s.ok()) return s;
    }
  }
  return Status::OK();
}

void ParquetWriter::SetKeyValue(const std::string& key, std::string value) {
  if (!metadata_.key_value_metadata) metadata_.key_value_metadata.emplace();
  for (KeyValue& kv : *metadata_.key_value_metadata) {
    if (kv.key == key) {
      kv.value = std::move(value);
      return;
    }
  }
  metadata_.key_value_metadata->push_back({key, std::move(value)});
}

Result<WriteSummary> ParquetWriter::Close() {
  if (!error_.ok()) return error_;
  if (closed_) return Status::InvalidArgument(name_, "Close called twice");
  Status s = FlushRowGroup();
  if (!s.ok()) return s;
  if (options_.page_index) {
    s = WritePageIndex();
    if (!s.ok()) return s;
  }
  std::string footer;
  metadata_.Serialize(&footer);
  const auto length = static_cast<uint32_t>(footer.size());
  footer.append(reinterpret_cast<const char*>(&length), 4);
  footer.append(kMagic, sizeof(kMagic));
  s = Append(footer.data(), footer.size());
  if (!s.ok()) return s;
  s = options_.sync ? file_->Sync() : file_->Flush();
  if (s.ok()) s = file_->Close();
  closed_ = true;
  if (!s.ok()) return Fail(s);
  WriteSummary summary;
  summary.metadata = metadata_;
  summary.file_bytes = offset_;
  return summary;
}

}  // namespace strata::parquet
