#include "db/table_inspector.h"

#include <cinttypes>
#include <memory>

#include "base/coding.h"
#include "base/escape.h"
#include "memtable/internal_key.h"
#include "sst/table_reader.h"

namespace strata {

namespace {

using sst::BlockHandle;
using sst::kBlockTrailerSize;
using sst::TableOptions;
using sst::TableProperties;
using sst::TableReader;
using sst::TableReadOptions;

// The first n bytes of a key or value, as every Strata tool shows bytes (base/escape.h).
std::string Preview(const Slice& data, size_t n) { return QuoteBytes(data.view(), n); }

// A key as a line shows it. For internal keys: the user key, then seq= and type=; false if
// the key is too short for a trailer or its type is unknown (the line says so).
bool DescribeKey(const Slice& key, bool internal, size_t n, std::string* text, bool* deletion) {
  *deletion = false;
  if (!internal) {
    *text = Preview(key, n);
    return true;
  }
  if (key.size() < memtable::kInternalKeyTrailerSize) {
    *text = Preview(key, n) + " (too short for an internal key)";
    return false;
  }
  memtable::ParsedInternalKey parsed;
  if (!memtable::ParseInternalKey(key, &parsed)) {
    // The sequence and the unknown type byte, as they are stored.
    const uint64_t packed =
        DecodeFixed64(key.data() + key.size() - memtable::kInternalKeyTrailerSize);
    *text = Preview(memtable::ExtractUserKey(key), n) + " seq=" + std::to_string(packed >> 8) +
            " type=unknown(" + std::to_string(packed & 0xff) + ")";
    return false;
  }
  *deletion = parsed.type == memtable::ValueType::kDeletion;
  *text = Preview(parsed.user_key, n) + " seq=" + std::to_string(parsed.sequence) +
          " type=" + (*deletion ? "del" : "put");
  return true;
}

// Opens the table with whichever known comparator it was written with: bytewise, or the
// engine's internal-key order over bytewise user keys (the only user order the command line
// opens). TableReader::Open returns InvalidArgument exactly when the comparator names differ,
// so trying the candidates in turn is enough.
Status OpenTable(Env* env, const std::string& path, uint64_t size,
                 const memtable::InternalKeyComparator* internal,
                 std::unique_ptr<TableReader>* table, const Comparator** used) {
  const Comparator* candidates[] = {BytewiseComparator(), internal};
  Status s;
  for (const Comparator* comparator : candidates) {
    if (comparator == nullptr) continue;
    std::unique_ptr<RandomAccessFile> file;
    s = env->NewRandomAccessFile(path, {}, &file);
    if (!s.ok()) return s;
    TableOptions options;
    options.comparator = comparator;
    if (comparator == internal) {
      // A table of internal keys may index its blocks by user key.
      options.user_key = [](const Slice& k) {
        return k.size() >= memtable::kInternalKeyTrailerSize ? memtable::ExtractUserKey(k) : k;
      };
      options.user_comparator = internal->user_comparator();
    }
    auto opened = TableReader::Open(options, path, std::move(file), size);
    *used = comparator;
    if (opened.ok()) {
      *table = std::move(*opened);
      return Status::OK();
    }
    s = opened.status();
    if (!s.IsInvalidArgument()) return s;
  }
  return s;
}

void PrintProperties(const TableProperties& p, const std::string& smallest,
                     const std::string& largest, std::FILE* out) {
  std::fprintf(out, "comparator: %s\n", p.comparator.c_str());
  std::fprintf(out, "compression: %s\n", p.compression.c_str());
  std::fprintf(out, "creation_time: %" PRIu64 "\n", p.creation_time);
  std::fprintf(out, "data_blocks: %" PRIu64 "\n", p.num_data_blocks);
  std::fprintf(out, "entries: %" PRIu64 "\n", p.num_entries);
  std::fprintf(out, "raw_key_bytes: %" PRIu64 "\n", p.raw_key_bytes);
  std::fprintf(out, "raw_value_bytes: %" PRIu64 "\n", p.raw_value_bytes);
  std::fprintf(out, "index_size: %" PRIu64 "\n", p.index_size);
  std::fprintf(out, "filter_size: %" PRIu64 "\n", p.filter_size);
  std::fprintf(out, "smallest_key: %s\n", smallest.c_str());
  std::fprintf(out, "largest_key: %s\n", largest.c_str());
  if (p.has_sequences) {
    std::fprintf(out, "min_sequence: %" PRIu64 "\n", p.min_sequence);
    std::fprintf(out, "max_sequence: %" PRIu64 "\n", p.max_sequence);
  }
}

// Collects errors: prints each and keeps the first as the result.
class Errors {
 public:
  Errors(std::FILE* out, TableInspectSummary* summary) : out_(out), summary_(summary) {}
  void Add(const Status& s) {
    summary_->errors++;
    std::fprintf(out_, "error: %s\n", s.ToString().c_str());
    if (first_.ok()) first_ = s;
  }
  const Status& first() const { return first_; }

 private:
  std::FILE* const out_;
  TableInspectSummary* const summary_;
  Status first_;
};

}  // namespace

Status InspectTable(Env* env, const std::string& path, const TableInspectOptions& options,
                    std::FILE* out, TableInspectSummary* summary) {
  *summary = TableInspectSummary();
  uint64_t size = 0;
  Status s = env->GetFileSize(path, &size);
  if (!s.ok()) return s;
  std::unique_ptr<TableReader> table;
  const Comparator* comparator = nullptr;
  const memtable::InternalKeyComparator internal_comparator(BytewiseComparator());
  s = OpenTable(env, path, size, &internal_comparator, &table, &comparator);
  if (!s.ok()) return s;

  const TableProperties& props = table->properties();
  summary->comparator = props.comparator;
  const bool internal = options.internal_keys || comparator == &internal_comparator;
  const size_t n = options.preview_bytes;
  Errors errors(out, summary);
  auto corruption = [&](const std::string& what) { errors.Add(Status::Corruption(path, what)); };
  bool deletion = false;
  std::string smallest;
  std::string largest;
  (void)DescribeKey(props.smallest_key, internal && !props.smallest_key.empty(), n, &smallest,
                    &deletion);
  (void)DescribeKey(props.largest_key, internal && !props.largest_key.empty(), n, &largest,
                    &deletion);
  std::fprintf(out, "file: %s size=%" PRIu64 "\n", path.c_str(), size);
  PrintProperties(props, smallest, largest, out);

  // The index: where each data block lies. Handles must follow each other in file order.
  std::unique_ptr<Iterator> index = table->NewIndexIterator();
  uint64_t next_offset = 0;
  for (index->SeekToFirst(); index->Valid(); index->Next()) {
    Slice value = index->value();
    BlockHandle handle;
    std::string separator;
    (void)DescribeKey(index->key(), internal && !props.index_user_keys, n, &separator, &deletion);
    if (!handle.DecodeFrom(&value) || !value.empty()) {
      corruption("index entry " + std::to_string(summary->data_blocks) +
                 " holds a malformed block handle");
    } else {
      std::fprintf(out, "block %" PRIu64 ": offset=%" PRIu64 " size=%" PRIu64 " separator=%s\n",
                   summary->data_blocks, handle.offset(), handle.size(), separator.c_str());
      if (handle.offset() != next_offset) {
        corruption("data block " + std::to_string(summary->data_blocks) + " at offset " +
                   std::to_string(handle.offset()) + ", expected " + std::to_string(next_offset));
      }
      next_offset = handle.offset() + handle.size() + kBlockTrailerSize;
    }
    summary->data_blocks++;
  }
  if (!index->status().ok()) errors.Add(index->status());

  // Every entry, every data block's checksum verified on the way.
  TableReadOptions read_options;
  read_options.verify_checksums = true;
  read_options.fill_cache = false;
  std::unique_ptr<Iterator> it = table->NewIterator(read_options);
  std::string previous;
  std::string first_key;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const Slice key = it->key();
    const Slice value = it->value();
    std::string text;
    if (!DescribeKey(key, internal, n, &text, &deletion)) {
      corruption("entry " + std::to_string(summary->entries) + " is not an internal key: " + text);
    }
    if (summary->entries == 0) {
      first_key = key.ToString();
    } else if (comparator->Compare(previous, key) >= 0) {
      corruption("entry " + std::to_string(summary->entries) + " (" + text +
                 ") does not sort after the one before it");
    }
    if (options.print_entries) {
      std::fprintf(out, "entry: key=%s value[%zu]=%s\n", text.c_str(), value.size(),
                   Preview(value, n).c_str());
    }
    summary->entries++;
    summary->key_bytes += key.size();
    summary->value_bytes += value.size();
    if (deletion) summary->deletions++;
    previous.assign(key.data(), key.size());
  }
  if (!it->status().ok()) {
    errors.Add(it->status());
  } else {
    // Only a complete pass can be compared with what the writer recorded.
    if (summary->entries != props.num_entries) {
      corruption("holds " + std::to_string(summary->entries) + " entries, properties say " +
                 std::to_string(props.num_entries));
    }
    if (summary->data_blocks != props.num_data_blocks) {
      corruption("index lists " + std::to_string(summary->data_blocks) +
                 " data blocks, properties say " + std::to_string(props.num_data_blocks));
    }
    if (first_key != props.smallest_key || previous != props.largest_key) {
      corruption("first or last key differs from the smallest/largest key in the properties");
    }
  }
  std::fprintf(out,
               "summary: entries=%" PRIu64 " data_blocks=%" PRIu64 " key_bytes=%" PRIu64
               " value_bytes=%" PRIu64 " deletions=%" PRIu64 " errors=%" PRIu64 " end=%s\n",
               summary->entries, summary->data_blocks, summary->key_bytes, summary->value_bytes,
               summary->deletions, summary->errors, errors.first().ok() ? "ok" : "error");
  return errors.first();
}

}  // namespace strata
