// strata db check|stats DIR, strata db checkpoint DIR DEST
#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "commands.h"
#include "db/db_checker.h"
#include "strata/db.h"
#include "strata/env.h"

namespace strata::cli {

namespace {

int Check(const std::string& dir) {
  DbCheckSummary summary;
  Status s = CheckDB(Env::Default(), dir, stdout, &summary);
  if (!s.ok()) {
    std::fprintf(stderr, "strata db check: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}

int Stats(const std::string& dir) {
  Options options;
  std::unique_ptr<DB> db;
  Status s = DB::Open(options, dir, &db);
  if (!s.ok()) {
    std::fprintf(stderr, "strata db stats: %s\n", s.ToString().c_str());
    return 1;
  }
  std::string stats;
  if (!db->GetProperty("strata.stats", &stats)) {
    std::fprintf(stderr, "strata db stats: the DB does not know strata.stats\n");
    return 1;
  }
  std::fputs(stats.c_str(), stdout);
  return 0;
}

int Checkpoint(const std::string& dir, const std::string& dest) {
  Options options;
  std::unique_ptr<DB> db;
  Status s = DB::Open(options, dir, &db);
  if (s.ok()) s = db->CreateCheckpoint(dest);
  if (!s.ok()) {
    std::fprintf(stderr, "strata db checkpoint: %s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("checkpoint of %s written to %s\n", dir.c_str(), dest.c_str());
  return 0;
}

}  // namespace

void AddDbCommands(CLI::App& app, int& exit_code) {
  CLI::App* db = app.add_subcommand("db", "Check, describe and checkpoint a DB directory");
  db->require_subcommand(1);

  auto check_dir = std::make_shared<std::string>();
  CLI::App* check = db->add_subcommand(
      "check",
      "Verify a DB without opening it for writing: CURRENT, the MANIFEST, every live table "
      "(checksums, key order and ranges, sizes) and every live write-ahead log; exit 1 on any "
      "problem");
  check->add_option("DIR", *check_dir, "DB directory, e.g. strata-data")->required();
  check->callback([check_dir, &exit_code] { exit_code = Check(*check_dir); });

  auto stats_dir = std::make_shared<std::string>();
  CLI::App* stats = db->add_subcommand(
      "stats",
      "Open the DB (which recovers it and writes a new MANIFEST) and print strata.stats: "
      "files and bytes per level, flushes, compactions");
  stats->add_option("DIR", *stats_dir, "DB directory (must exist)")->required();
  stats->callback([stats_dir, &exit_code] { exit_code = Stats(*stats_dir); });

  auto checkpoint_dirs = std::make_shared<std::pair<std::string, std::string>>();
  CLI::App* checkpoint = db->add_subcommand(
      "checkpoint",
      "Open the DB (which recovers it) and write a checkpoint of it to DEST: an independent DB "
      "with hard links to the live tables, the writes not yet in tables as a new table, a "
      "MANIFEST and CURRENT. DEST appears only once complete and synced; exit 1 on any error");
  checkpoint->add_option("DIR", checkpoint_dirs->first, "DB directory (must exist)")->required();
  checkpoint
      ->add_option("DEST", checkpoint_dirs->second,
                   "New directory for the checkpoint: must not exist, its parent must, on the "
                   "same file system as DIR")
      ->required();
  checkpoint->callback([checkpoint_dirs, &exit_code] {
    exit_code = Checkpoint(checkpoint_dirs->first, checkpoint_dirs->second);
  });
}

}  // namespace strata::cli
