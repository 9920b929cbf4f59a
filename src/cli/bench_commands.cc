// strata bench wal ...
#include <cstdio>
#include <memory>
#include <string>

#include "bench/wal_bench.h"
#include "commands.h"

namespace strata::cli {

void AddBenchCommands(CLI::App& app, int& exit_code) {
  CLI::App* bench = app.add_subcommand("bench", "Benchmarks; each prints one JSON line");
  bench->require_subcommand(1);

  auto opts = std::make_shared<bench::WalBenchOptions>();
  auto sync = std::make_shared<std::string>("none");
  CLI::App* wal = bench->add_subcommand(
      "wal",
      "Append records to a write-ahead log from N threads; report records/s, MB/s and "
      "append latency (p50/p99/p99.9), and replay speed with --replay");
  wal->add_option("--writers", opts->writers, "Concurrent appending threads");
  wal->add_option("--sync", *sync, "Sync policy: always, interval or none");
  wal->add_option("--sync-interval-ms", opts->sync_interval_ms,
                  "With --sync interval: longest time between fdatasyncs");
  wal->add_option("--records", opts->records, "Records in total, split across writers");
  wal->add_option("--value-size", opts->value_size, "Payload bytes per record");
  wal->add_flag("--replay", opts->replay, "Then read the log back and report replay GB/s");
  wal->add_option("--dir", opts->dir, "Directory for the log file");
  wal->add_flag("--keep", opts->keep_log, "Keep the log file afterwards");
  wal->callback([opts, sync, &exit_code] {
    if (!wal::ParseSyncPolicy(*sync, &opts->sync)) {
      std::fprintf(stderr, "unknown --sync %s (always, interval, none)\n", sync->c_str());
      exit_code = 2;
      return;
    }
    bench::WalBenchResult result;
    Status s = bench::RunWalBench(*opts, &result);
    if (!s.ok()) {
      std::fprintf(stderr, "strata bench wal: %s\n", s.ToString().c_str());
      exit_code = 1;
      return;
    }
    std::printf("%s\n", bench::ToJson(result).c_str());
  });
}

}  // namespace strata::cli
