// strata wal dump|verify FILE
#include <cstdio>
#include <string>

#include "commands.h"
#include "strata/env.h"
#include "wal/log_inspector.h"

namespace strata::cli {

namespace {

struct WalArgs {
  std::string file;
  std::string mode;
  size_t preview = 16;
};

int Inspect(const WalArgs& args, bool print_records) {
  wal::InspectOptions options;
  options.print_records = print_records;
  options.preview_bytes = args.preview;
  const auto mode = ParseEnum<wal::RecoveryMode>(args.mode);
  if (!mode) {
    std::fprintf(stderr, "unknown --mode %s (%s)\n", args.mode.c_str(),
                 EnumChoices<wal::RecoveryMode>(", ").c_str());
    return 2;
  }
  options.mode = *mode;
  wal::InspectSummary summary;
  Status s = wal::InspectLog(Env::Default(), args.file, options, stdout, &summary);
  if (!s.ok()) {
    std::fprintf(stderr, "strata wal: %s\n", s.ToString().c_str());
    return 1;
  }
  // verify is strict about everything the mode reports, skipped damage included.
  if (!print_records && summary.damage_reports > 0) return 1;
  return 0;
}

std::string ModesHelp() { return "Recovery mode: " + EnumChoices<wal::RecoveryMode>(", "); }

}  // namespace

void AddWalCommands(CLI::App& app, int& exit_code) {
  CLI::App* wal = app.add_subcommand("wal", "Inspect write-ahead log files");
  wal->require_subcommand(1);

  auto dump_args = std::make_shared<WalArgs>();
  dump_args->mode = "skip_corrupted";
  CLI::App* dump = wal->add_subcommand(
      "dump",
      "Print every record of a log (offset, length, type, first bytes) and every "
      "corruption found; skips damage to show what follows it");
  dump->add_option("FILE", dump_args->file, "Log file, e.g. strata-data/wal/000001.log")
      ->required();
  dump->add_option("--mode", dump_args->mode, ModesHelp());
  dump->add_option("--preview", dump_args->preview, "Payload bytes shown per record");
  dump->callback([dump_args, &exit_code] { exit_code = Inspect(*dump_args, true); });

  auto verify_args = std::make_shared<WalArgs>();
  verify_args->mode = "absolute_consistency";
  CLI::App* verify = wal->add_subcommand(
      "verify",
      "Check a log; exit 1 on any corruption (with the default mode, a torn tail "
      "counts too), 0 if it is intact");
  verify->add_option("FILE", verify_args->file, "Log file")->required();
  verify->add_option("--mode", verify_args->mode, ModesHelp());
  verify->callback([verify_args, &exit_code] { exit_code = Inspect(*verify_args, false); });
}

}  // namespace strata::cli
