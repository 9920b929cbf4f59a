// strata: the command line.
#include <CLI/CLI.hpp>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Strata: a storage system built on sorted runs and merging them."};
  app.set_version_flag("--version", "strata " STRATA_VERSION);
  app.require_subcommand(1);
  app.get_formatter()->column_width(40);
  // Every option shows its default in --help.
  app.option_defaults()->always_capture_default();

  int exit_code = 0;
  strata::cli::AddDemoCommand(app, exit_code);
  strata::cli::AddWalCommands(app, exit_code);
  strata::cli::AddBenchCommands(app, exit_code);
  strata::cli::AddSstCommands(app, exit_code);
  strata::cli::AddDbCommands(app, exit_code);
  strata::cli::AddKvCommands(app, exit_code);
  strata::cli::AddParquetCommands(app, exit_code);
  strata::cli::AddRdbCommands(app, exit_code);
  strata::cli::AddObjCommands(app, exit_code);

  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
