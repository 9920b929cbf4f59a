#include "parquet/parquet_reader.h"

#include <algorithm>
#include <cstring>

#include "base/coding.h"
#include "parquet/parallel_column_decoder.h"

namespace strata::parquet {

// Batches each column may decode ahead of the consumer when columns decode in parallel.
constexpr size_t kDecodeAheadBatches = 2;

namespace {

constexpr char kMagic[4] = {'P', 'A', 'R', '1'};
constexpr uint64_t kMagicSize = 4;
// A file is at least the leading magic, a footer length and the trailing magic.
constexpr uint64_t kMinFileSize = 2 * kMagicSize + 4;

}  // namespace

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(Env* env, const std::string& path,
                                                           bool use_mmap) {
  uint64_t size = 0;
  Status s = env->GetFileSize(path, &size);
  if (!s.ok()) return s;
  std::unique_ptr<RandomAccessFile> file;
  FileOptions fo;
  fo.use_mmap_reads = use_mmap;
  s = env->NewRandomAccessFile(path, fo, &file);
  if (!s.ok()) return s;
  return Open(std::move(file), size, path);
}

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(std::unique_ptr<RandomAccessFile> file,
                                                           uint64_t file_size,
                                                           const std::string& name) {
  std::unique_ptr<ParquetReader> r(new ParquetReader(std::move(file), file_size, name));
  Status s = r->ReadFooter();
  if (!s.ok()) return s;
  s = r->ValidateRowGroups();
  if (!s.ok()) return s;
  return r;
}

ParquetReader::ParquetReader(std::unique_ptr<RandomAccessFile> file, uint64_t size,
                             std::string name)
    : file_(std::move(file)), file_size_(size), name_(std::move(name)) {}

Status ParquetReader::Corrupt(uint64_t offset, const std::string& what) const {
  return Status::Corruption(name_, what + " at byte " + std::to_string(offset));
}

Status ParquetReader::ReadRange(uint64_t offset, uint64_t length, std::string* out) const {
  if (offset > file_size_ || length > file_size_ - offset) {
    return Corrupt(offset, "range of " + std::to_string(length) + " bytes past the end of the " +
                               std::to_string(file_size_) + "-byte file");
  }
  out->resize(length);
  Slice got;
  Status s = file_->Read(offset, length, &got, out->data());
  if (!s.ok()) return s;
  if (got.size() != length) return Corrupt(offset, "short read");
  if (got.data() != out->data()) std::memcpy(out->data(), got.data(), length);
  return Status::OK();
}

Status ParquetReader::ReadFooter() {
  if (file_size_ < kMinFileSize) {
    return Status::Corruption(
        name_, "not a Parquet file: " + std::to_string(file_size_) + " bytes is too short");
  }
  std::string head;
  Status s = ReadRange(0, kMagicSize, &head);
  if (!s.ok()) return s;
  if (std::memcmp(head.data(), kMagic, kMagicSize) != 0) {
    return Status::Corruption(name_, "not a Parquet file: no PAR1 magic at byte 0");
  }
  std::string tail;
  s = ReadRange(file_size_ - 8, 8, &tail);
  if (!s.ok()) return s;
  if (std::memcmp(tail.data() + 4, kMagic, kMagicSize) != 0) {
    if (std::memcmp(tail.data() + 4, "PARE", 4) == 0) {
      return Status::NotSupported(name_, "encrypted footer (PARE)");
    }
    return Corrupt(file_size_ - 4, "no PAR1 magic at the end (truncated or not Parquet)");
  }
  footer_length_ = DecodeFixed32(tail.data());
  if (footer_length_ > file_size_ - kMinFileSize) {
    return Corrupt(file_size_ - 8,
                   "footer length " + std::to_string(footer_length_) + " exceeds the file");
  }
  footer_offset_ = file_size_ - 8 - footer_length_;
  std::string footer;
  s = ReadRange(footer_offset_, footer_length_, &footer);
  if (!s.ok()) return s;
  s = metadata_.Deserialize(Slice(footer), name_ + ": footer", footer_offset_);
  if (!s.ok()) return s;
  auto schema = Schema::FromSchemaElements(metadata_.schema, name_);
  if (!schema.ok()) return schema.status();
  schema_ = std::move(*schema);
  return Status::OK();
}

void ParquetReader::ChunkRange(const ColumnMetaData& meta, uint64_t* start,
                               uint64_t* length) const {
  // Some writers point dictionary_page_offset at 0 when there is no dictionary; a real
  // dictionary page comes before the first data page.
  int64_t first = meta.data_page_offset;
  if (meta.dictionary_page_offset && *meta.dictionary_page_offset > 0 &&
      *meta.dictionary_page_offset < first) {
    first = *meta.dictionary_page_offset;
  }
  *start = static_cast<uint64_t>(first);
  *length = static_cast<uint64_t>(meta.total_compressed_size);
}

Status ParquetReader::ValidateRowGroups() {
  const size_t columns = schema_.num_columns();
  int64_t rows = 0;
  for (size_t g = 0; g < metadata_.row_groups.size(); g++) {
    const RowGroup& rg = metadata_.row_groups[g];
    const std::string where = "row group " + std::to_string(g);
    if (rg.columns.size() != columns) {
      return Status::Corruption(name_, where + " has " + std::to_string(rg.columns.size()) +
                                           " column chunks for " + std::to_string(columns) +
                                           " columns");
    }
    if (rg.num_rows < 0) return Status::Corruption(name_, where + " has a negative row count");
    rows += rg.num_rows;
    for (size_t c = 0; c < columns; c++) {
      const ColumnChunk& cc = rg.columns[c];
      const std::string what = where + ", column " + schema_.column(c).name;
      if (cc.file_path) {
        return Status::NotSupported(name_, what + " lives in another file (" + *cc.file_path + ")");
      }
      if (!cc.meta_data) return Status::Corruption(name_, what + " has no metadata");
      const ColumnMetaData& m = *cc.meta_data;
      if (m.type != schema_.column(c).physical) {
        return Status::Corruption(name_, what + ": chunk type differs from the schema's");
      }
      if (m.num_values != rg.num_rows) {
        return Status::Corruption(name_, what + " has " + std::to_string(m.num_values) +
                                             " values for " + std::to_string(rg.num_rows) +
                                             " rows");
      }
      if (m.data_page_offset < static_cast<int64_t>(kMagicSize) || m.total_compressed_size < 0) {
        return Status::Corruption(name_, what + ": bad page offset or size");
      }
      uint64_t start, length;
      ChunkRange(m, &start, &length);
      if (start < kMagicSize || start > footer_offset_ || length > footer_offset_ - start) {
        return Status::Corruption(
            name_, what + ": pages at [" + std::to_string(start) + ", +" + std::to_string(length) +
                       ") lie outside the data region ending at " + std::to_string(footer_offset_));
      }
    }
  }
  if (rows != metadata_.num_rows) {
    return Status::Corruption(name_, "row groups hold " + std::to_string(rows) +
                                         " rows, the footer says " +
                                         std::to_string(metadata_.num_rows));
  }
  return Status::OK();
}

Result<std::optional<SplitBlockBloomFilter>> ParquetReader::ReadBloomFilter(int row_group,
                                                                            int column) {
  const ColumnMetaData& m = *metadata_.row_groups[row_group].columns[column].meta_data;
  if (!m.bloom_filter_offset) return std::optional<SplitBlockBloomFilter>();
  const auto offset = static_cast<uint64_t>(*m.bloom_filter_offset);
  // The length is optional in the format; without it, read a header-sized window first.
  uint64_t length = m.bloom_filter_length ? static_cast<uint64_t>(*m.bloom_filter_length) : 64;
  if (offset > footer_offset_) return Corrupt(offset, "bloom filter offset past the data");
  length = std::min<uint64_t>(length, footer_offset_ - offset);
  std::string bytes;
  Status s = ReadRange(offset, length, &bytes);
  if (!s.ok()) return s;
  BloomFilterHeader header;
  size_t header_size = 0;
  s = header.Deserialize(Slice(bytes), name_ + ": bloom filter header", offset, &header_size);
  if (!s.ok()) return s;
  if (header.algorithm != BloomFilterAlgorithm::kBlock || header.hash != BloomFilterHash::kXxHash ||
      header.compression != BloomFilterCompression::kUncompressed) {
    return std::optional<SplitBlockBloomFilter>();  // a filter we cannot use: ignore it
  }
  const auto num_bytes = static_cast<uint64_t>(header.num_bytes);
  if (header.num_bytes < static_cast<int32_t>(SplitBlockBloomFilter::kBlockBytes) ||
      num_bytes % SplitBlockBloomFilter::kBlockBytes != 0 ||
      num_bytes > SplitBlockBloomFilter::kMaxBytes ||
      num_bytes > footer_offset_ - offset - header_size) {
    return Corrupt(offset, "bloom filter of " + std::to_string(header.num_bytes) + " bytes");
  }
  std::string bitset;
  if (header_size + num_bytes <= bytes.size()) {
    bitset = bytes.substr(header_size, num_bytes);
  } else {
    s = ReadRange(offset + header_size, num_bytes, &bitset);
    if (!s.ok()) return s;
  }
  return std::optional<SplitBlockBloomFilter>(SplitBlockBloomFilter::FromBitset(std::move(bitset)));
}

Result<std::optional<ColumnIndex>> ParquetReader::ReadColumnIndex(int row_group, int column) {
  const ColumnChunk& cc = metadata_.row_groups[row_group].columns[column];
  if (!cc.column_index_offset || !cc.column_index_length) return std::optional<ColumnIndex>();
  std::string bytes;
  const auto offset = static_cast<uint64_t>(*cc.column_index_offset);
  if (*cc.column_index_length < 0) return Corrupt(offset, "negative column index length");
  Status s = ReadRange(offset, static_cast<uint64_t>(*cc.column_index_length), &bytes);
  if (!s.ok()) return s;
  ColumnIndex ci;
  s = ci.Deserialize(Slice(bytes), name_ + ": column index", offset);
  if (!s.ok()) return s;
  return std::optional<ColumnIndex>(std::move(ci));
}

Result<std::optional<OffsetIndex>> ParquetReader::ReadOffsetIndex(int row_group, int column) {
  const ColumnChunk& cc = metadata_.row_groups[row_group].columns[column];
  if (!cc.offset_index_offset || !cc.offset_index_length) return std::optional<OffsetIndex>();
  std::string bytes;
  const auto offset = static_cast<uint64_t>(*cc.offset_index_offset);
  if (*cc.offset_index_length < 0) return Corrupt(offset, "negative offset index length");
  Status s = ReadRange(offset, static_cast<uint64_t>(*cc.offset_index_length), &bytes);
  if (!s.ok()) return s;
  OffsetIndex oi;
  s = oi.Deserialize(Slice(bytes), name_ + ": offset index", offset);
  if (!s.ok()) return s;
  return std::optional<OffsetIndex>(std::move(oi));
}

Result<std::vector<int>> ParquetReader::SelectRowGroups(const std::vector<Predicate>& predicates,
                                                        bool use_bloom_filters, PruneStats* stats) {
  std::vector<int> columns;
  for (const Predicate& p : predicates) {
    const int c = schema_.IndexOf(p.column);
    if (c < 0) return Status::InvalidArgument(name_, "no column " + p.column);
    columns.push_back(c);
  }
  PruneStats local;
  std::vector<int> selected;
  for (size_t g = 0; g < metadata_.row_groups.size(); g++) {
    const RowGroup& rg = metadata_.row_groups[g];
    local.row_groups++;
    bool keep = true;
    for (size_t i = 0; keep && i < predicates.size(); i++) {
      const ColumnMetaData& m = *rg.columns[columns[i]].meta_data;
      const Statistics* st = m.statistics ? &*m.statistics : nullptr;
      if (!StatisticsMayMatch(predicates[i], schema_.column(columns[i]), st, rg.num_rows)) {
        keep = false;
        local.by_statistics++;
      }
    }
    for (size_t i = 0; keep && use_bloom_filters && i < predicates.size(); i++) {
      if (predicates[i].op != Predicate::Op::kEq && predicates[i].op != Predicate::Op::kIn)
        continue;
      auto filter = ReadBloomFilter(static_cast<int>(g), columns[i]);
      if (!filter.ok()) return filter.status();
      if (*filter && !BloomFilterMayMatch(predicates[i], schema_.column(columns[i]), **filter)) {
        keep = false;
        local.by_bloom_filter++;
      }
    }
    if (keep) selected.push_back(static_cast<int>(g));
  }
  if (stats != nullptr) *stats = local;
  return selected;
}

Result<std::unique_ptr<ColumnChunkReader>> ParquetReader::OpenColumnChunk(int row_group,
                                                                          int column) {
  const ColumnMetaData& m = *metadata_.row_groups[row_group].columns[column].meta_data;
  uint64_t start, length;
  ChunkRange(m, &start, &length);
  auto r = std::make_unique<ColumnChunkReader>(file_.get(), name_, schema_.column(column), m, start,
                                               length);
  Status s = r->Init();
  if (!s.ok()) return s;
  return r;
}

Result<std::unique_ptr<BatchReader>> ParquetReader::Scan(const ScanOptions& options) {
  std::vector<int> columns;
  std::vector<ColumnSpec> specs;
  if (options.columns.empty()) {
    for (size_t c = 0; c < schema_.num_columns(); c++) {
      columns.push_back(static_cast<int>(c));
      specs.push_back(schema_.column(c));
    }
  } else {
    for (const std::string& name : options.columns) {
      const int c = schema_.IndexOf(name);
      if (c < 0) return Status::InvalidArgument(name_, "no column " + name);
      columns.push_back(c);
      specs.push_back(schema_.column(c));
    }
  }
  PruneStats prune;
  auto groups = SelectRowGroups(options.predicates, options.use_bloom_filters, &prune);
  if (!groups.ok()) return groups.status();
  std::unique_ptr<BatchReader> b(
      new BatchReader(this, Schema(std::move(specs)), std::move(columns), std::move(*groups),
                      std::max<size_t>(1, options.batch_rows), options.threads));
  b->prune_stats_ = prune;
  return b;
}

BatchReader::BatchReader(ParquetReader* reader, Schema schema, std::vector<int> columns,
                         std::vector<int> row_groups, size_t batch_rows, int threads)
    : reader_(reader),
      schema_(std::move(schema)),
      columns_(std::move(columns)),
      row_groups_(std::move(row_groups)),
      batch_rows_(batch_rows) {
  if (threads > 1 && columns_.size() > 1) {
    pool_ = std::make_unique<ThreadPool>(threads);
    decoder_ = std::make_unique<ParallelColumnDecoder>(pool_.get(), schema_, kDecodeAheadBatches);
  }
}

BatchReader::~BatchReader() = default;

Status BatchReader::StartRowGroup() {
  const int g = row_groups_[next_group_++];
  rows_left_ = reader_->metadata().row_groups[g].num_rows;
  // The decoder's tasks may still read the old chunks: let them finish first.
  if (decoder_) decoder_->Stop();
  chunks_.clear();
  for (int c : columns_) {
    auto chunk = reader_->OpenColumnChunk(g, c);
    if (!chunk.ok()) return chunk.status();
    chunks_.push_back(std::move(*chunk));
  }
  if (decoder_) {
    std::vector<ColumnChunkReader*> chunks;
    for (auto& c : chunks_) chunks.push_back(c.get());
    decoder_->Start(std::move(chunks), rows_left_, batch_rows_);
  }
  return Status::OK();
}

Result<bool> BatchReader::Next(ColumnBatch* batch) {
  while (rows_left_ == 0) {
    if (next_group_ >= row_groups_.size()) return false;
    Status s = StartRowGroup();
    if (!s.ok()) return s;
  }
  if (!(batch->schema() == schema_)) {
    *batch = ColumnBatch(schema_);
  } else if (!decoder_) {
    batch->Clear();
  }
  const auto n =
      static_cast<size_t>(std::min<int64_t>(rows_left_, static_cast<int64_t>(batch_rows_)));
  if (decoder_) {
    // The columns were decoded ahead, each on its own (parallel_column_decoder.h).
    auto got = decoder_->Take(batch);
    if (!got.ok()) return got.status();
    if (!*got || batch->num_rows() != n) {
      return Status::Corruption(reader_->name(), "parallel decoding lost its place");
    }
  } else {
    for (size_t i = 0; i < chunks_.size(); i++) {
      Status s = chunks_[i]->Read(n, &batch->column(i));
      if (!s.ok()) return s;
    }
  }
  rows_left_ -= static_cast<int64_t>(n);
  return true;
}

}  // namespace strata::parquet
