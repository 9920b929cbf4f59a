// strata parquet inspect|cat|from-csv
#include "parquet_commands.h"

#include <cstdio>

#include "commands.h"

namespace strata::cli {

int ParquetFailure(const Status& s) {
  std::fflush(stdout);  // what was printed so far comes before the error
  std::fprintf(stderr, "strata parquet: %s\n", s.ToString().c_str());
  return 1;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> parts;
  if (text.empty()) return parts;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    parts.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return parts;
}

void AddParquetCommands(CLI::App& app, int& exit_code) {
  CLI::App* parquet =
      app.add_subcommand("parquet", "Inspect and print Parquet files, and make them from CSV");
  parquet->require_subcommand(1);
  AddParquetInspectCommand(*parquet, exit_code);
  AddParquetCatCommand(*parquet, exit_code);
  AddParquetFromCsvCommand(*parquet, exit_code);
}

}  // namespace strata::cli
