// Each command group registers its subcommands on the root app. Handlers set the process
// exit code through the returned reference.
#pragma once

#include <CLI/CLI.hpp>

namespace strata::cli {

void AddWalCommands(CLI::App& app, int& exit_code);
void AddBenchCommands(CLI::App& app, int& exit_code);
void AddDemoCommand(CLI::App& app, int& exit_code);
void AddSstCommands(CLI::App& app, int& exit_code);
void AddDbCommands(CLI::App& app, int& exit_code);
void AddKvCommands(CLI::App& app, int& exit_code);
void AddParquetCommands(CLI::App& app, int& exit_code);
void AddRdbCommands(CLI::App& app, int& exit_code);
void AddObjCommands(CLI::App& app, int& exit_code);
// Registers report, top and prefixes under the rdb command.
void AddRdbReportCommands(CLI::App& rdb, int& exit_code);

}  // namespace strata::cli
