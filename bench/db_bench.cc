#include "bench/db_bench.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <latch>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

#include "base/random.h"
#include "sst/compression.h"
#include "strata/db.h"

namespace strata::bench {

namespace {

using Clock = std::chrono::steady_clock;

enum class Workload {
  kFillSeq,
  kFillRandom,
  kOverwrite,
  kFillSync,
  kReadRandom,
  kReadSeq,
  kReadReverse,
  kSeekRandom,
  kReadWhileWriting,
  kWaitForCompaction,
};

struct WorkloadInfo {
  std::string_view name;
  Workload workload;
  bool fresh_db;  // starts from an empty DB (skipped with --use_existing_db, like db_bench)
};

constexpr WorkloadInfo kWorkloads[] = {
    {"fillseq", Workload::kFillSeq, true},
    {"fillrandom", Workload::kFillRandom, true},
    {"overwrite", Workload::kOverwrite, false},
    {"fillsync", Workload::kFillSync, true},
    {"readrandom", Workload::kReadRandom, false},
    {"readseq", Workload::kReadSeq, false},
    {"readreverse", Workload::kReadReverse, false},
    {"seekrandom", Workload::kSeekRandom, false},
    {"readwhilewriting", Workload::kReadWhileWriting, false},
    // Not timed: returns once no flush or compaction is due or running, as db_bench's.
    {"waitforcompaction", Workload::kWaitForCompaction, false},
};

// db_bench makes fillsync do num / 1000 synced writes per thread.
constexpr int64_t kFillSyncDivisor = 1000;
// The value buffer holds at least this many bytes, so consecutive values differ.
constexpr size_t kValueBufferBytes = 1 << 20;
// Values are assembled from pieces of this many bytes, each compressible to the ratio.
constexpr size_t kValuePieceBytes = 100;
constexpr double kMiB = 1048576.0;

// Uniform in [0, n) for any n > 0 (the high half of a 64x64-bit product; the bias is below
// n / 2^64, far under what a benchmark can see).
uint64_t UniformBelow(Random* rng, uint64_t n) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(rng->Next()) * n) >> 64);
}

// Keys of a fixed width: the index as 8 big-endian bytes (so byte order is index order), then
// '0' up to key_size. A key_size below 8 keeps the low-order bytes of the index.
class KeyFormat {
 public:
  explicit KeyFormat(size_t key_size) : key_size_(key_size) {}

  void Encode(uint64_t index, std::string* key) const {
    key->assign(key_size_, '0');
    const size_t width = std::min<size_t>(key_size_, 8);
    for (size_t i = 0; i < width; i++) {
      (*key)[width - 1 - i] = static_cast<char>(index & 0xff);
      index >>= 8;
    }
  }

 private:
  size_t key_size_;
};

// Pseudo-random values that compress to about `ratio` of their size: each 100-byte piece is
// ratio * 100 random printable bytes repeated. Read-only after construction, so threads share
// one; each thread keeps its own position.
class ValueSource {
 public:
  ValueSource(uint64_t seed, double ratio, size_t value_size) {
    Random rng(seed);
    const size_t total = std::max(kValueBufferBytes, value_size);
    const size_t random_bytes =
        std::max<size_t>(1, static_cast<size_t>(static_cast<double>(kValuePieceBytes) * ratio));
    data_.reserve(total + kValuePieceBytes);
    std::string piece;
    while (data_.size() < total) {
      piece.clear();
      for (size_t i = 0; i < random_bytes; i++) piece += static_cast<char>(' ' + rng.Uniform(95));
      for (size_t i = 0; i < kValuePieceBytes; i++) data_ += piece[i % random_bytes];
    }
  }

  // The next len bytes from *pos, wrapping to the start when the buffer runs out.
  Slice Next(size_t len, size_t* pos) const {
    if (*pos + len > data_.size()) *pos = 0;
    Slice s(data_.data() + *pos, len);
    *pos += len;
    return s;
  }

 private:
  std::string data_;
};

// What one thread measured.
struct ThreadStats {
  uint64_t done = 0;
  uint64_t bytes = 0;  // key + value bytes written or read
  uint64_t found = 0;  // reads that found their key
  bool counts_found = false;
  Clock::time_point start;
  Clock::time_point finish;
  Status status;
};

std::string CompressionLabel(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "NoCompression";
    case Compression::kSnappy:
      return "Snappy";
    case Compression::kZstd:
      return "ZSTD";
    case Compression::kLz4:
      return "LZ4";
  }
  return "?";
}

// --compression_type takes the table format's codec names (sst/compression.h): the engine's
// option numbers its codecs as the block trailer does, so a parsed type converts by number.
static_assert(static_cast<int>(Compression::kNone) ==
              static_cast<int>(sst::CompressionType::kNone));
static_assert(static_cast<int>(Compression::kSnappy) ==
              static_cast<int>(sst::CompressionType::kSnappy));
static_assert(static_cast<int>(Compression::kZstd) ==
              static_cast<int>(sst::CompressionType::kZstd));
static_assert(static_cast<int>(Compression::kLz4) == static_cast<int>(sst::CompressionType::kLz4));

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) break;
    const size_t begin = line.find_first_not_of(' ', colon + 1);
    return begin == std::string::npos ? "" : line.substr(begin);
  }
  return "unknown";
}

class Runner {
 public:
  Runner(const DbBenchOptions& options, Compression compression, std::FILE* out)
      : options_(options),
        out_(out),
        keys_(static_cast<size_t>(options.key_size)),
        values_(options.seed, options.compression_ratio, static_cast<size_t>(options.value_size)),
        reads_(options.reads < 0 ? options.num : options.reads) {
    db_options_.create_if_missing = true;
    db_options_.write_buffer_size = static_cast<size_t>(options.write_buffer_size);
    db_options_.bloom_bits_per_key = std::max(0, options.bloom_bits);
    db_options_.compression = compression;
    db_options_.block_cache_bytes = static_cast<size_t>(options.cache_size);
    db_options_.wal_mmap_writes = options.wal_mmap_writes;
  }

  Status Run(const std::vector<const WorkloadInfo*>& workloads) {
    PrintHeader();
    Status s;
    if (!options_.use_existing_db) s = DestroyDB(options_.db, db_options_);
    if (s.ok()) s = OpenDb();
    for (size_t i = 0; s.ok() && i < workloads.size(); i++) s = RunWorkload(*workloads[i], i);
    std::string stats;
    if (s.ok() && options_.statistics && db_ && db_->GetProperty("strata.stats", &stats)) {
      std::fprintf(out_, "\n%s", stats.c_str());
    }
    db_.reset();
    return s;
  }

 private:
  Status OpenDb() {
    // The parents too, like db_bench (the DB creates only its own directory).
    std::error_code ec;
    std::filesystem::create_directories(options_.db, ec);
    if (ec) return Status::IOError("creating " + options_.db, ec.message());
    Status s = DB::Open(db_options_, options_.db, &db_);
    if (!s.ok()) return Status::IOError("opening " + options_.db, s.ToString());
    return s;
  }

  void PrintHeader() {
    const double entries = static_cast<double>(options_.num);
    const double value_after =
        static_cast<double>(options_.value_size) * options_.compression_ratio;
    const std::time_t now = std::time(nullptr);
    char date[64];
    std::strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", std::localtime(&now));
    std::fprintf(out_, "Strata:     bench db (db_bench workloads)\n");
    std::fprintf(out_, "Date:       %s\n", date);
    std::fprintf(out_, "CPU:        %u * %s\n", std::thread::hardware_concurrency(),
                 CpuModel().c_str());
    std::fprintf(out_, "Keys:       %d bytes each\n", options_.key_size);
    std::fprintf(out_, "Values:     %d bytes each (%d bytes after compression)\n",
                 options_.value_size, static_cast<int>(value_after + 0.5));
    std::fprintf(out_, "Entries:    %" PRId64 "\n", options_.num);
    std::fprintf(out_, "RawSize:    %.1f MB (estimated)\n",
                 (options_.key_size + options_.value_size) * entries / kMiB);
    std::fprintf(out_, "FileSize:   %.1f MB (estimated)\n",
                 (options_.key_size + value_after) * entries / kMiB);
    std::fprintf(out_, "Compression: %s\n", CompressionLabel(db_options_.compression).c_str());
    std::fprintf(out_, "Block cache: %" PRId64 " bytes\n", options_.cache_size);
    std::fprintf(out_, "Bloom bits: %d\n", db_options_.bloom_bits_per_key);
    std::fprintf(out_, "Write buffer: %" PRId64 " bytes\n", options_.write_buffer_size);
    std::fprintf(out_, "WAL writes: %s\n",
                 db_options_.wal_mmap_writes ? "shared mapping" : "write()");
    std::fprintf(out_, "Threads:    %d\n", options_.threads);
    std::fprintf(out_, "Seed:       %" PRIu64 "\n", options_.seed);
    std::fprintf(out_, "DB path:    [%s]\n", options_.db.c_str());
    std::fprintf(out_, "------------------------------------------------\n");
    std::fflush(out_);
  }

  Status RunWorkload(const WorkloadInfo& info, size_t position) {
    const std::string name(info.name);
    if (info.workload == Workload::kWaitForCompaction) return WaitForCompaction();
    if (info.fresh_db) {
      if (options_.use_existing_db) {
        std::fprintf(out_, "%-12s : skipped (--use_existing_db is true)\n", name.c_str());
        return Status::OK();
      }
      db_.reset();
      Status s = DestroyDB(options_.db, db_options_);
      if (!s.ok()) return Status::IOError("destroying " + options_.db, s.ToString());
      s = OpenDb();
      if (!s.ok()) return s;
    }

    const int n = options_.threads;
    std::vector<ThreadStats> stats(static_cast<size_t>(n));
    std::atomic<bool> stop_writer{false};
    ThreadStats writer_stats;
    std::latch go(1);
    std::vector<std::thread> threads;
    for (int t = 0; t < n; t++) {
      threads.emplace_back([&, t] {
        // Distinct streams per workload and thread, reproducible from --seed.
        Random rng(options_.seed ^ (position * 1000003 + static_cast<uint64_t>(t) + 1));
        go.wait();
        RunThread(info.workload, &rng, &stats[static_cast<size_t>(t)]);
      });
    }
    std::thread writer;
    if (info.workload == Workload::kReadWhileWriting) {
      writer = std::thread([&] {
        Random rng(options_.seed ^ (position * 1000003 + 999983));
        go.wait();
        BackgroundWriter(&rng, &stop_writer, &writer_stats);
      });
    }
    go.count_down();
    for (auto& th : threads) th.join();
    stop_writer.store(true, std::memory_order_relaxed);
    if (writer.joinable()) writer.join();

    for (const ThreadStats& st : stats) {
      if (!st.status.ok()) return Status::IOError("benchmark " + name, st.status.ToString());
    }
    if (!writer_stats.status.ok()) {
      return Status::IOError("benchmark " + name + " (writer)", writer_stats.status.ToString());
    }
    Report(name, stats);
    return Status::OK();
  }

  // Polls strata.compaction-pending until the DB has no flush or compaction due or running.
  Status WaitForCompaction() {
    std::string pending;
    while (true) {
      if (!db_->GetProperty("strata.compaction-pending", &pending)) {
        return Status::IOError("waitforcompaction", "strata.compaction-pending is unknown");
      }
      if (pending == "0") return Status::OK();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  void RunThread(Workload workload, Random* rng, ThreadStats* st) {
    st->start = Clock::now();
    switch (workload) {
      case Workload::kFillSeq:
        Write(rng, /*random=*/false, options_.num, /*sync=*/options_.sync, st);
        break;
      case Workload::kFillRandom:
      case Workload::kOverwrite:
        Write(rng, /*random=*/true, options_.num, options_.sync, st);
        break;
      case Workload::kFillSync:
        Write(rng, /*random=*/true, options_.num / kFillSyncDivisor, /*sync=*/true, st);
        break;
      case Workload::kReadRandom:
      case Workload::kReadWhileWriting:
        ReadRandom(rng, st);
        break;
      case Workload::kReadSeq:
        Scan(/*forward=*/true, st);
        break;
      case Workload::kReadReverse:
        Scan(/*forward=*/false, st);
        break;
      case Workload::kSeekRandom:
        SeekRandom(rng, st);
        break;
      case Workload::kWaitForCompaction:
        break;  // handled by RunWorkload, never run by threads
    }
    st->finish = Clock::now();
  }

  uint64_t RandomIndex(Random* rng) const {
    return options_.num <= 0 ? 0 : UniformBelow(rng, static_cast<uint64_t>(options_.num));
  }

  void Write(Random* rng, bool random, int64_t ops, bool sync, ThreadStats* st) {
    WriteOptions wo;
    wo.sync = sync;
    std::string key;
    size_t pos = 0;
    for (int64_t i = 0; i < ops; i++) {
      keys_.Encode(random ? RandomIndex(rng) : static_cast<uint64_t>(i), &key);
      const Slice value = values_.Next(static_cast<size_t>(options_.value_size), &pos);
      Status s = db_->Put(wo, key, value);
      if (!s.ok()) {
        st->status = s;
        return;
      }
      st->done++;
      st->bytes += key.size() + value.size();
    }
  }

  // The writer of readwhilewriting: random keys, as fast as it can, until the readers finish.
  // Its operations are not reported (db_bench reports the readers).
  void BackgroundWriter(Random* rng, const std::atomic<bool>* stop, ThreadStats* st) {
    WriteOptions wo;
    wo.sync = options_.sync;
    std::string key;
    size_t pos = 0;
    while (!stop->load(std::memory_order_relaxed)) {
      keys_.Encode(RandomIndex(rng), &key);
      Status s = db_->Put(wo, key, values_.Next(static_cast<size_t>(options_.value_size), &pos));
      if (!s.ok()) {
        st->status = s;
        return;
      }
      st->done++;
    }
  }

  void ReadRandom(Random* rng, ThreadStats* st) {
    st->counts_found = true;
    const ReadOptions ro;
    std::string key;
    std::string value;
    for (int64_t i = 0; i < reads_; i++) {
      keys_.Encode(RandomIndex(rng), &key);
      Status s = db_->Get(ro, key, &value);
      if (s.ok()) {
        st->found++;
        st->bytes += key.size() + value.size();
      } else if (!s.IsNotFound()) {
        st->status = s;
        return;
      }
      st->done++;
    }
  }

  void Scan(bool forward, ThreadStats* st) {
    std::unique_ptr<Iterator> it = db_->NewIterator(ReadOptions());
    if (forward) {
      it->SeekToFirst();
    } else {
      it->SeekToLast();
    }
    for (int64_t i = 0; i < reads_ && it->Valid(); i++) {
      st->done++;
      st->bytes += it->key().size() + it->value().size();
      if (forward) {
        it->Next();
      } else {
        it->Prev();
      }
    }
    st->status = it->status();
  }

  void SeekRandom(Random* rng, ThreadStats* st) {
    st->counts_found = true;
    std::unique_ptr<Iterator> it = db_->NewIterator(ReadOptions());
    std::string key;
    for (int64_t i = 0; i < reads_; i++) {
      keys_.Encode(RandomIndex(rng), &key);
      it->Seek(key);
      if (it->Valid() && it->key() == Slice(key)) st->found++;
      for (int j = 0; j < options_.seek_nexts && it->Valid(); j++) {
        st->bytes += it->key().size() + it->value().size();
        it->Next();
      }
      if (!it->status().ok()) {
        st->status = it->status();
        return;
      }
      st->done++;
    }
  }

  // One line in db_bench's format. micros/op sums the threads' busy time (elapsed * threads
  // when they run alike); ops/sec and MB/s use the wall time from the first start to the last
  // finish.
  void Report(const std::string& name, const std::vector<ThreadStats>& stats) {
    uint64_t done = 0;
    uint64_t bytes = 0;
    uint64_t found = 0;
    bool counts_found = false;
    double busy = 0;
    Clock::time_point start = stats.front().start;
    Clock::time_point finish = stats.front().finish;
    for (const ThreadStats& st : stats) {
      done += st.done;
      bytes += st.bytes;
      found += st.found;
      counts_found = counts_found || st.counts_found;
      busy += std::chrono::duration<double>(st.finish - st.start).count();
      start = std::min(start, st.start);
      finish = std::max(finish, st.finish);
    }
    const double elapsed = std::chrono::duration<double>(finish - start).count();
    const uint64_t ops = std::max<uint64_t>(done, 1);
    std::string extra;
    if (bytes > 0) {
      char rate[64];
      std::snprintf(rate, sizeof(rate), "%6.1f MB/s", static_cast<double>(bytes) / kMiB / elapsed);
      extra = rate;
    }
    if (counts_found) {
      char msg[96];
      std::snprintf(msg, sizeof(msg), "(%" PRIu64 " of %" PRIu64 " found)", found, done);
      if (!extra.empty()) extra += " ";
      extra += msg;
    }
    std::fprintf(out_,
                 "%-12s : %11.3f micros/op %ld ops/sec %.3f seconds %" PRIu64 " operations;%s%s\n",
                 name.c_str(), busy * 1e6 / static_cast<double>(ops),
                 static_cast<long>(elapsed > 0 ? static_cast<double>(done) / elapsed : 0), elapsed,
                 done, extra.empty() ? "" : " ", extra.c_str());
    std::fflush(out_);
  }

  const DbBenchOptions& options_;
  std::FILE* out_;
  Options db_options_;
  KeyFormat keys_;
  ValueSource values_;
  const int64_t reads_;
  // Set between workloads only; the threads of a workload share it (DB is thread-safe).
  std::unique_ptr<DB> db_;
};

Status ParseWorkloads(const std::string& list, std::vector<const WorkloadInfo*>* out) {
  size_t begin = 0;
  while (begin <= list.size()) {
    size_t end = list.find(',', begin);
    if (end == std::string::npos) end = list.size();
    const std::string_view name = std::string_view(list).substr(begin, end - begin);
    begin = end + 1;
    if (name.empty()) continue;
    const WorkloadInfo* found = nullptr;
    for (const WorkloadInfo& w : kWorkloads) {
      if (w.name == name) found = &w;
    }
    if (found == nullptr) {
      std::string known;
      for (const WorkloadInfo& w : kWorkloads)
        known += (known.empty() ? "" : ", ") + std::string(w.name);
      return Status::InvalidArgument("unknown benchmark '" + std::string(name) + "'",
                                     "known: " + known);
    }
    out->push_back(found);
  }
  if (out->empty()) return Status::InvalidArgument("--benchmarks names no workload");
  return Status::OK();
}

}  // namespace

Status RunDbBench(const DbBenchOptions& options_in, std::FILE* out) {
  DbBenchOptions options = options_in;
  if (options.num < 0) return Status::InvalidArgument("--num must not be negative");
  if (options.key_size < 1) return Status::InvalidArgument("--key_size must be at least 1");
  if (options.value_size < 0) return Status::InvalidArgument("--value_size must not be negative");
  if (options.threads < 1) return Status::InvalidArgument("--threads must be at least 1");
  if (options.cache_size < 0) return Status::InvalidArgument("--cache_size must not be negative");
  if (options.write_buffer_size <= 0) {
    return Status::InvalidArgument("--write_buffer_size must be positive");
  }
  if (!(options.compression_ratio > 0 && options.compression_ratio <= 1)) {
    return Status::InvalidArgument("--compression_ratio must be in (0, 1]");
  }
  const auto type = ParseEnum<sst::CompressionType>(options.compression_type);
  if (!type) {
    return Status::InvalidArgument("unknown --compression_type " + options.compression_type,
                                   "known: " + EnumChoices<sst::CompressionType>(", "));
  }
  const auto compression = static_cast<Compression>(*type);
  std::vector<const WorkloadInfo*> workloads;
  Status s = ParseWorkloads(options.benchmarks, &workloads);
  if (!s.ok()) return s;
  if (options.seed == 0) {
    options.seed = static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch() /
                                         std::chrono::microseconds(1));
  }
  Runner runner(options, compression, out);
  return runner.Run(workloads);
}

}  // namespace strata::bench
