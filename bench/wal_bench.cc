#include "bench/wal_bench.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <thread>
#include <vector>

#include "strata/env.h"
#include "wal/group_commit_writer.h"
#include "wal/log_directory.h"
#include "wal/log_reader.h"

namespace strata::bench {

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double PercentileUs(const std::vector<uint32_t>& sorted_ns, double p) {
  if (sorted_ns.empty()) return 0;
  const auto idx = static_cast<size_t>(p / 100.0 * static_cast<double>(sorted_ns.size() - 1));
  return sorted_ns[idx] / 1000.0;
}

Status Replay(const std::string& path, uint64_t expected, WalBenchResult* result) {
  std::unique_ptr<SequentialFile> file;
  Status s = Env::Default()->NewSequentialFile(path, &file);
  if (!s.ok()) return s;
  wal::LogReader reader(path, std::move(file), nullptr, wal::RecoveryMode::kAbsoluteConsistency);
  Slice record;
  std::string scratch;
  uint64_t n = 0;
  const auto start = Clock::now();
  while (reader.ReadRecord(&record, &scratch)) n++;
  result->replay_seconds = Seconds(Clock::now() - start);
  if (!reader.status().ok()) return reader.status();
  if (n != expected) {
    return Status::Corruption("replay of " + path + " found " + std::to_string(n) +
                              " records, expected " + std::to_string(expected));
  }
  result->replayed = true;
  result->replay_gb_per_s = static_cast<double>(result->log_bytes) / 1e9 / result->replay_seconds;
  return Status::OK();
}

}  // namespace

Status RunWalBench(const WalBenchOptions& options, WalBenchResult* result) {
  if (options.writers < 1) return Status::InvalidArgument("--writers must be at least 1");
  if (options.records < static_cast<uint64_t>(options.writers)) {
    return Status::InvalidArgument("--records must be at least --writers");
  }
  // The parents too, like db_bench: the default strata-data/bench-wal needs strata-data,
  // which a fresh directory does not have (the log directory creates only itself).
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) return Status::IOError("creating " + options.dir, ec.message());
  Env* env = Env::Default();
  wal::LogDirectory logs(env, options.dir);
  wal::WalOptions wal_options;
  wal_options.sync = options.sync;
  wal_options.sync_interval_ms = options.sync_interval_ms;
  auto started = logs.StartNext(wal_options);
  if (!started.ok()) return started.status();
  std::unique_ptr<wal::GroupCommitWriter> writer = std::move(*started);
  const std::string path = writer->path();

  const uint64_t per_writer = options.records / options.writers;
  const uint64_t total = per_writer * options.writers;
  std::vector<std::vector<uint32_t>> latencies(options.writers);
  std::vector<Status> errors(options.writers);
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int t = 0; t < options.writers; t++) {
    threads.emplace_back([&, t] {
      // Distinct bytes per record, prepared outside the timed call.
      std::string value(options.value_size, static_cast<char>('a' + t % 26));
      auto& lat = latencies[t];
      lat.reserve(per_writer);
      for (uint64_t i = 0; i < per_writer; i++) {
        if (!value.empty()) value[i % value.size()] = static_cast<char>(i);
        const auto t0 = Clock::now();
        Status st = writer->Append(value);
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0);
        if (!st.ok()) {
          errors[t] = st;
          return;
        }
        lat.push_back(static_cast<uint32_t>(std::min<int64_t>(ns.count(), UINT32_MAX)));
      }
    });
  }
  for (auto& th : threads) th.join();
  const double seconds = Seconds(Clock::now() - start);
  for (const Status& e : errors) {
    if (!e.ok()) return e;
  }
  const uint64_t groups = writer->groups();
  Status s = writer->Close();
  if (!s.ok()) return s;

  std::vector<uint32_t> all;
  all.reserve(total);
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());

  *result = WalBenchResult();
  result->writers = options.writers;
  result->sync = EnumName(options.sync);
  result->records = total;
  result->value_size = options.value_size;
  result->seconds = seconds;
  result->records_per_s = static_cast<double>(total) / seconds;
  result->mb_per_s = static_cast<double>(total * options.value_size) / 1e6 / seconds;
  result->p50_us = PercentileUs(all, 50);
  result->p99_us = PercentileUs(all, 99);
  result->p999_us = PercentileUs(all, 99.9);
  result->max_us = all.empty() ? 0 : all.back() / 1000.0;
  result->avg_group = groups == 0 ? 0 : static_cast<double>(total) / static_cast<double>(groups);
  s = env->GetFileSize(path, &result->log_bytes);
  if (s.ok() && options.replay) s = Replay(path, total, result);
  if (!options.keep_log) (void)env->DeleteFile(path);
  return s;
}

std::string ToJson(const WalBenchResult& r) {
  char buf[1024];
  int n =
      std::snprintf(buf, sizeof(buf),
                    "{\"bench\":\"wal\",\"writers\":%d,\"sync\":\"%s\",\"records\":%" PRIu64
                    ",\"value_size\":%zu,\"seconds\":%.3f,\"records_per_s\":%.0f,"
                    "\"mb_per_s\":%.2f,\"p50_us\":%.2f,\"p99_us\":%.2f,\"p999_us\":%.2f,"
                    "\"max_us\":%.1f,\"avg_group\":%.2f,\"log_bytes\":%" PRIu64,
                    r.writers, r.sync.c_str(), r.records, r.value_size, r.seconds, r.records_per_s,
                    r.mb_per_s, r.p50_us, r.p99_us, r.p999_us, r.max_us, r.avg_group, r.log_bytes);
  std::string out(buf, static_cast<size_t>(n));
  if (r.replayed) {
    std::snprintf(buf, sizeof(buf), ",\"replay_seconds\":%.3f,\"replay_gb_per_s\":%.2f",
                  r.replay_seconds, r.replay_gb_per_s);
    out += buf;
  }
  out += "}";
  return out;
}

}  // namespace strata::bench
