#include "sort/external_sorter.h"

#include <chrono>
#include <cinttypes>
#include <cstdio>

#include "merge/loser_tree.h"
#include "parquet/parquet_reader.h"
#include "parquet/parquet_writer.h"

namespace strata::sort {

using parquet::ColumnBatch;

ExternalSorter::ExternalSorter(parquet::Schema schema, std::vector<int> key_columns,
                               ExternalSorterOptions options)
    : schema_(std::move(schema)),
      order_(schema_, std::move(key_columns)),
      options_(std::move(options)),
      env_(options_.env != nullptr ? options_.env : Env::Default()),
      buffer_(schema_),
      spilling_(schema_) {}

ExternalSorter::~ExternalSorter() { (void)WaitForSpill(); }

std::string ExternalSorter::RunPath(uint64_t number) const {
  char suffix[32];
  std::snprintf(suffix, sizeof(suffix), ".%04" PRIu64 ".parquet", number);
  return options_.run_dir + "/" + options_.run_prefix + suffix;
}

Status ExternalSorter::Add(const ColumnBatch& batch) {
  for (size_t r = 0; r < batch.num_rows(); r++) {
    AppendRow(batch, r, &buffer_);
    if (buffer_.num_rows() >= options_.run_rows) {
      Status s = SpillBuffer();
      if (!s.ok()) return s;
    }
  }
  return AddBuffered();
}

Status ExternalSorter::AddBuffered() {
  if (buffer_.num_rows() >= options_.run_rows || buffer_.MemoryBytes() >= options_.run_bytes) {
    return SpillBuffer();
  }
  return Status::OK();
}

Status ExternalSorter::WriteRun(const ColumnBatch& rows, const std::string& path, uint64_t* bytes) {
  parquet::WriterOptions wo;
  wo.compression = options_.run_codec;
  wo.sorting_columns = order_.SortingColumns();
  wo.row_group_rows = options_.run_rows;
  // Runs are read once, by this process: no page index, and no fsync (a crash restarts the
  // whole sort; the final output is what must be durable).
  wo.page_index = false;
  wo.statistics = false;
  // Run keys are unique: a dictionary would be tried and dropped on every page, and the
  // codec takes care of repeats in the other columns.
  wo.default_column.dictionary = false;
  wo.sync = false;
  wo.page_bytes = 32 << 10;  // merging reads a page per column of every run: keep them small
  auto writer = parquet::ParquetWriter::Open(env_, path, schema_, wo);
  if (!writer.ok()) return writer.status();
  // The writer takes the rows in sorted order straight from the buffer: no sorted copy.
  const std::vector<uint32_t> perm = order_.SortedPermutation(rows);
  Status s = (*writer)->WriteRows(rows, perm);
  if (!s.ok()) return s;
  auto summary = (*writer)->Close();
  if (!summary.ok()) return summary.status();
  *bytes = summary->file_bytes;
  return Status::OK();
}

Status ExternalSorter::WaitForSpill() {
  std::unique_lock lock(spill_mu_);
  spill_done_.wait(lock, [&] { return !spill_pending_; });
  return spill_status_;
}

Status ExternalSorter::SpillBuffer() {
  Status s = WaitForSpill();
  if (!s.ok()) return s;
  if (buffer_.num_rows() == 0) return Status::OK();
  std::swap(buffer_, spilling_);
  buffer_.Clear();
  const std::string path = RunPath(next_run_++);
  runs_.push_back(path);
  stats_.runs++;
  stats_.rows += spilling_.num_rows();
  auto task = [this, path] {
    uint64_t bytes = 0;
    const auto start = std::chrono::steady_clock::now();
    Status st = WriteRun(spilling_, path, &bytes);
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (st.ok() && options_.log) {
      char line[512];
      std::snprintf(line, sizeof(line), "run %s: %zu rows, %.3f s, %" PRIu64 " bytes, codec %s",
                    path.c_str(), spilling_.num_rows(), secs, bytes,
                    EnumName(options_.run_codec).c_str());
      options_.log(line);
    }
    std::lock_guard lock(spill_mu_);
    if (!st.ok() && spill_status_.ok()) {
      spill_status_ = Status::IOError(
          "run " + path + " (codec " + EnumName(options_.run_codec) + ")", st.ToString());
    }
    stats_.run_bytes += bytes;
    spill_pending_ = false;
    spill_done_.notify_all();
  };
  {
    std::lock_guard lock(spill_mu_);
    spill_pending_ = true;
  }
  if (options_.pool != nullptr) {
    options_.pool->Schedule(task);
  } else {
    task();
  }
  return Status::OK();
}

Status ExternalSorter::MergeRuns(const std::vector<std::string>& inputs,
                                 const std::function<Status(const ColumnBatch&)>& sink) {
  struct Cursor {
    std::unique_ptr<parquet::ParquetReader> reader;
    std::unique_ptr<parquet::BatchReader> batches;
    ColumnBatch batch;
    size_t pos = 0;
    RowHead head;        // of the row at pos
    bool exact = false;  // FirstImageExact of batch
    bool done = false;   // the run has no more rows
  };
  std::vector<Cursor> cursors(inputs.size());
  std::vector<const ColumnBatch*> sources(inputs.size());
  // Loads the next batch of cursor c; false when the run is done.
  auto refill = [&](Cursor& c) -> Result<bool> {
    while (true) {
      auto more = c.batches->Next(&c.batch);
      if (!more.ok()) return more.status();
      if (!*more) return false;
      c.pos = 0;
      if (c.batch.num_rows() > 0) {
        c.exact = order_.FirstImageExact(c.batch);
        c.head = order_.Head(c.batch, 0);
        return true;
      }
    }
  };
  auto compare = [&](int a, int b) {
    const Cursor& x = cursors[a];
    const Cursor& y = cursors[b];
    return order_.CompareWithHeads(x.batch, x.pos, x.head, y.batch, y.pos, y.head,
                                   x.exact && y.exact);
  };
  merge::LoserTree tree(inputs.size(),
                        merge::AscendingStable([&](int s) { return !cursors[s].done; }, compare));
  for (size_t i = 0; i < inputs.size(); i++) {
    auto reader = parquet::ParquetReader::Open(env_, inputs[i]);
    if (!reader.ok()) return reader.status();
    cursors[i].reader = std::move(*reader);
    parquet::ScanOptions scan;
    scan.batch_rows = options_.merge_read_batch_rows;
    auto batches = cursors[i].reader->Scan(scan);
    if (!batches.ok()) return batches.status();
    cursors[i].batches = std::move(*batches);
    sources[i] = &cursors[i].batch;
    auto has = refill(cursors[i]);
    if (!has.ok()) return has.status();
    cursors[i].done = !*has;
  }
  tree.Rebuild();

  // The merged order is collected as references to the cursors' rows and copied out column
  // by column, before any cursor replaces the batch those rows live in.
  ColumnBatch out(schema_);
  std::vector<RowRef> picks;
  auto flush_picks = [&]() -> Status {
    if (picks.empty()) return Status::OK();
    GatherRows(sources, picks, &out);
    picks.clear();
    if (out.num_rows() < options_.output_batch_rows) return Status::OK();
    Status s = sink(out);
    out.Clear();
    return s;
  };
  // The previous row, for duplicate detection: a reference while its batch lives, else a
  // copy in `last`.
  ColumnBatch last(schema_);
  RowRef prev{0, 0};
  RowHead prev_head;
  bool have_prev = false;
  bool prev_in_last = false;
  for (int w = tree.winner(); w >= 0 && !cursors[w].done; w = tree.winner()) {
    Cursor& c = cursors[w];
    // Different heads mean different keys; only equal heads need the rows compared.
    if (options_.unique_keys && have_prev && prev_head.a == c.head.a && prev_head.b == c.head.b &&
        prev_head.c == c.head.c) {
      const bool dup =
          prev_in_last ? order_.Compare(last, 0, c.batch, c.pos) == 0
                       : order_.Compare(cursors[prev.source].batch, prev.row, c.batch, c.pos) == 0;
      if (dup) {
        return Status::Corruption(options_.duplicate_message
                                      ? options_.duplicate_message(c.batch, c.pos)
                                      : std::string("duplicate sort key"));
      }
    }
    picks.push_back({static_cast<uint32_t>(w), static_cast<uint32_t>(c.pos)});
    prev = picks.back();
    prev_head = c.head;
    have_prev = true;
    prev_in_last = false;
    if (picks.size() + out.num_rows() >= options_.output_batch_rows) {
      Status s = flush_picks();
      if (!s.ok()) return s;
    }
    if (++c.pos < c.batch.num_rows()) {
      c.head = order_.Head(c.batch, c.pos);
    } else {
      // The batch is about to be replaced: copy out what points into it.
      Status s = flush_picks();
      if (!s.ok()) return s;
      if (options_.unique_keys) {
        last.Clear();
        AppendRow(c.batch, prev.row, &last);
        prev_in_last = true;
      }
      auto has = refill(c);
      if (!has.ok()) return has.status();
      c.done = !*has;
    }
    tree.Replay();
  }
  Status s = flush_picks();
  if (!s.ok()) return s;
  if (out.num_rows() > 0) return sink(out);
  return Status::OK();
}

Status ExternalSorter::MergeIntoRun(const std::vector<std::string>& inputs,
                                    const std::string& output) {
  parquet::WriterOptions wo;
  wo.compression = options_.run_codec;
  wo.sorting_columns = order_.SortingColumns();
  wo.page_index = false;
  wo.statistics = false;
  wo.default_column.dictionary = false;
  wo.sync = false;
  wo.page_bytes = 32 << 10;  // merging reads a page per column of every run: keep them small
  auto writer = parquet::ParquetWriter::Open(env_, output, schema_, wo);
  if (!writer.ok()) return writer.status();
  Status s = MergeRuns(inputs, [&](const ColumnBatch& b) { return (*writer)->Write(b); });
  if (!s.ok()) return s;
  auto summary = (*writer)->Close();
  if (!summary.ok()) return summary.status();
  stats_.run_bytes += summary->file_bytes;
  return Status::OK();
}

Status ExternalSorter::Finish(const std::function<Status(const ColumnBatch&)>& sink) {
  Status s = WaitForSpill();
  if (!s.ok()) return s;
  if (runs_.empty()) {
    // Everything fits in one buffer: sort it in memory, no run file.
    stats_.rows += buffer_.num_rows();
    stats_.merge_passes = 1;
    const std::vector<uint32_t> perm = order_.SortedPermutation(buffer_);
    ColumnBatch out(schema_);
    for (size_t at = 0; at < perm.size(); at += options_.output_batch_rows) {
      out.Clear();
      const size_t end = std::min(perm.size(), at + options_.output_batch_rows);
      std::vector<RowRef> refs;
      for (size_t i = at; i < end; i++) {
        if (options_.unique_keys && i > 0 &&
            order_.Compare(buffer_, perm[i - 1], buffer_, perm[i]) == 0) {
          return Status::Corruption(options_.duplicate_message
                                        ? options_.duplicate_message(buffer_, perm[i])
                                        : std::string("duplicate sort key"));
        }
        refs.push_back({0, perm[i]});
      }
      GatherRows({&buffer_}, refs, &out);
      s = sink(out);
      if (!s.ok()) return s;
    }
    buffer_.Clear();
    return Status::OK();
  }
  s = SpillBuffer();
  if (s.ok()) s = WaitForSpill();
  if (!s.ok()) return s;

  const size_t fan_in = std::max<size_t>(2, options_.fan_in);
  while (runs_.size() > fan_in) {
    // An intermediate pass: groups of fan_in runs become one run each.
    std::vector<std::string> next;
    const auto start = std::chrono::steady_clock::now();
    for (size_t at = 0; at < runs_.size(); at += fan_in) {
      const std::vector<std::string> group(
          runs_.begin() + static_cast<ptrdiff_t>(at),
          runs_.begin() + static_cast<ptrdiff_t>(std::min(runs_.size(), at + fan_in)));
      if (group.size() == 1) {
        next.push_back(group[0]);
        continue;
      }
      const std::string output = RunPath(next_run_++);
      s = MergeIntoRun(group, output);
      if (!s.ok()) return s;
      stats_.intermediate_runs++;
      next.push_back(output);
      for (const std::string& f : group) (void)env_->DeleteFile(f);
    }
    stats_.merge_passes++;
    if (options_.log) {
      char line[256];
      std::snprintf(
          line, sizeof(line), "merge pass %" PRIu64 ": %zu runs into %zu, %.3f s",
          stats_.merge_passes, runs_.size(), next.size(),
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      options_.log(line);
    }
    runs_ = std::move(next);
  }
  s = MergeRuns(runs_, sink);
  if (!s.ok()) return s;
  stats_.merge_passes++;
  RemoveRunFiles();
  return Status::OK();
}

std::vector<std::string> ExternalSorter::LiveRunFiles() const {
  std::vector<std::string> live;
  for (const std::string& f : runs_) {
    if (env_->FileExists(f)) live.push_back(f);
  }
  return live;
}

void ExternalSorter::RemoveRunFiles() {
  (void)WaitForSpill();
  for (const std::string& f : runs_) (void)env_->DeleteFile(f);
  runs_.clear();
}

}  // namespace strata::sort
