// The `strata parquet` command group: inspect, cat and from-csv, one file each. The logic
// lives in src/parquet; these files parse options and print.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "strata/status.h"

namespace strata::cli {

void AddParquetInspectCommand(CLI::App& parquet, int& exit_code);
void AddParquetCatCommand(CLI::App& parquet, int& exit_code);
void AddParquetFromCsvCommand(CLI::App& parquet, int& exit_code);

// Prints "strata parquet: <status>" to stderr and returns the exit code for it, 1.
int ParquetFailure(const Status& s);

// Splits "a,b,c" into its parts; an empty text has none.
std::vector<std::string> SplitList(const std::string& text);

}  // namespace strata::cli
