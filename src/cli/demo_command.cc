// strata demo: what `make run` runs until the server exists. Writes records to a fresh
// write-ahead log from several threads with sync=always and reads them back; then writes a
// batch to the key-value engine, flushes, reopens and reads it back. Shows where the files
// are.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "commands.h"
#include "strata/db.h"
#include "strata/env.h"
#include "wal/log_directory.h"
#include "wal/log_reader.h"

namespace strata::cli {

namespace {

struct DemoArgs {
  std::string dir = "strata-data";
  int writers = 4;
  int records = 1000;
  int keep_logs = 3;
};

std::string RecordFor(int writer, int i) {
  return "writer=" + std::to_string(writer) + " seq=" + std::to_string(i) +
         " payload=" + std::string(static_cast<size_t>(i % 64), static_cast<char>('a' + writer));
}

// The key-value engine: write, delete, flush to an SSTable, reopen, read back.
int RunDbDemo(const DemoArgs& args, uint64_t run) {
  // Keys carry the run number, so earlier runs' keys in the same DB do not count.
  const std::string prefix = "run" + std::to_string(run) + ":user:";
  const std::string path = args.dir + "/db";
  Options options;
  options.create_if_missing = true;
  std::unique_ptr<DB> db;
  Status s = DB::Open(options, path, &db);
  auto fail = [&](const Status& st) {
    std::fprintf(stderr, "strata demo: %s\n", st.ToString().c_str());
    return 1;
  };
  if (!s.ok()) return fail(s);
  WriteBatch batch;
  for (int i = 0; i < args.records; i++) {
    batch.Put(prefix + std::to_string(100000 + i), "{\"visits\": " + std::to_string(i % 97) + "}");
  }
  for (int i = 0; i < args.records; i += 10) batch.Delete(prefix + std::to_string(100000 + i));
  s = db->Write(WriteOptions{.sync = true}, &batch);
  if (s.ok()) s = db->Flush();
  if (!s.ok()) return fail(s);
  db.reset();
  s = DB::Open(options, path, &db);
  if (!s.ok()) return fail(s);
  int live = 0;
  auto it = db->NewIterator(ReadOptions());
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) live++;
  if (!it->status().ok()) return fail(it->status());
  const int expected = args.records - (args.records + 9) / 10;
  std::string value;
  s = db->Get(ReadOptions(), prefix + "100001", &value);
  if (!s.ok() || live != expected) {
    std::fprintf(stderr, "strata demo: DB read back %d keys, expected %d: %s\n", live, expected,
                 s.ToString().c_str());
    return 1;
  }
  std::string l0;
  std::string bytes;
  db->GetProperty("strata.num-files-at-level0", &l0);
  db->GetProperty("strata.total-sst-bytes", &bytes);
  std::printf(
      "DB %s: wrote %d keys and deleted every tenth in one synced batch, flushed, "
      "reopened: %d keys live, %s100001 = %s; %s level-0 table(s), %s bytes\n",
      path.c_str(), args.records, live, prefix.c_str(), value.c_str(), l0.c_str(), bytes.c_str());
  std::printf("try: build/release/strata kv scan --db %s --limit 3\n", path.c_str());
  return 0;
}

int RunDemo(const DemoArgs& args) {
  Env* env = Env::Default();
  if (args.writers < 1 || args.records < args.writers) {
    std::fprintf(stderr, "strata demo: need --writers >= 1 and --records >= --writers\n");
    return 2;
  }
  Status s = env->CreateDirIfMissing(args.dir);
  if (!s.ok()) {
    std::fprintf(stderr, "strata demo: %s\n", s.ToString().c_str());
    return 1;
  }
  wal::LogDirectory logs(env, args.dir + "/wal");
  std::printf("Strata %s self-demonstration (the server arrives in a later release)\n",
              STRATA_VERSION);
  std::printf("data directory: %s\n", args.dir.c_str());

  wal::WalOptions options;
  options.sync = wal::SyncPolicy::kAlways;
  auto started = logs.StartNext(options);
  if (!started.ok()) {
    std::fprintf(stderr, "strata demo: %s\n", started.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<wal::GroupCommitWriter> writer = std::move(*started);
  const uint64_t number = writer->log_number();

  const int per_writer = args.records / args.writers;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  std::vector<Status> errors(args.writers);
  for (int w = 0; w < args.writers; w++) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < per_writer && errors[w].ok(); i++) {
        errors[w] = writer->Append(RecordFor(w, i));
      }
    });
  }
  for (auto& t : threads) t.join();
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  for (const Status& e : errors) {
    if (!e.ok()) {
      std::fprintf(stderr, "strata demo: append failed: %s\n", e.ToString().c_str());
      return 1;
    }
  }
  s = writer->Close();
  if (!s.ok()) {
    std::fprintf(stderr, "strata demo: %s\n", s.ToString().c_str());
    return 1;
  }
  const std::string path = logs.PathOf(number);
  const int written = per_writer * args.writers;
  std::printf("wrote %d records from %d threads with sync=always (group commit) to %s in %.1f ms\n",
              written, args.writers, path.c_str(), ms);

  // Read back: every writer's records, in its own order, each exactly as written.
  std::unique_ptr<SequentialFile> file;
  s = env->NewSequentialFile(path, &file);
  if (!s.ok()) {
    std::fprintf(stderr, "strata demo: %s\n", s.ToString().c_str());
    return 1;
  }
  wal::LogReader reader(path, std::move(file), nullptr, wal::RecoveryMode::kAbsoluteConsistency);
  std::vector<int> next(args.writers, 0);
  int read = 0;
  int mismatches = 0;
  Slice record;
  std::string scratch;
  while (reader.ReadRecord(&record, &scratch)) {
    read++;
    bool matched = false;
    for (int w = 0; w < args.writers && !matched; w++) {
      if (next[w] < per_writer && record == Slice(RecordFor(w, next[w]))) {
        next[w]++;
        matched = true;
      }
    }
    if (!matched) mismatches++;
  }
  if (!reader.status().ok() || mismatches > 0 || read != written) {
    std::fprintf(stderr, "strata demo: read back %d of %d records, %d unexpected: %s\n", read,
                 written, mismatches, reader.status().ToString().c_str());
    return 1;
  }
  std::printf("read back %d records from %s: all intact, each writer's records in order\n", read,
              path.c_str());

  int deleted = 0;
  if (number > static_cast<uint64_t>(args.keep_logs)) {
    s = logs.DeleteBelow(number - args.keep_logs + 1, &deleted);
    if (!s.ok()) std::fprintf(stderr, "strata demo: %s\n", s.ToString().c_str());
  }
  const std::vector<uint64_t> numbers = logs.List().value_or({});
  std::printf("logs in %s:", logs.dir().c_str());
  for (uint64_t n : numbers) std::printf(" %s", wal::LogDirectory::FileName(n).c_str());
  std::printf(" (keeping the newest %d, deleted %d)\n", args.keep_logs, deleted);
  std::printf("look inside: build/release/strata wal dump %s | head\n", path.c_str());
  return RunDbDemo(args, number);
}

}  // namespace

void AddDemoCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* demo = app.add_subcommand(
      "demo",
      "Write records to a new write-ahead log in the data directory with group commit, "
      "read them back and show where the files are");
  demo->add_option("--dir", args->dir, "Data directory");
  demo->add_option("--writers", args->writers, "Concurrent writer threads");
  demo->add_option("--records", args->records, "Records to write in total");
  demo->add_option("--keep-logs", args->keep_logs, "Log files kept from earlier runs");
  demo->callback([args, &exit_code] { exit_code = RunDemo(*args); });
}

}  // namespace strata::cli
