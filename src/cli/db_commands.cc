// strata db check|stats DIR
#include <cstdio>
#include <memory>
#include <string>

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

}  // namespace

void AddDbCommands(CLI::App& app, int& exit_code) {
  CLI::App* db = app.add_subcommand("db", "Check and describe a DB directory");
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
}

}  // namespace strata::cli
