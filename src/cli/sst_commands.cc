// strata sst dump FILE
#include <cstdio>
#include <memory>
#include <string>

#include "commands.h"
#include "db/table_inspector.h"
#include "strata/env.h"

namespace strata::cli {

namespace {

struct SstDumpArgs {
  std::string file;
  bool entries = false;
  bool internal_keys = false;
  size_t preview = 32;
};

int Dump(const SstDumpArgs& args) {
  TableInspectOptions options;
  options.print_entries = args.entries;
  options.internal_keys = args.internal_keys;
  options.preview_bytes = args.preview;
  TableInspectSummary summary;
  Status s = InspectTable(Env::Default(), args.file, options, stdout, &summary);
  if (!s.ok()) {
    std::fprintf(stderr, "strata sst: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace

void AddSstCommands(CLI::App& app, int& exit_code) {
  CLI::App* sst = app.add_subcommand("sst", "Inspect table (.sst) files");
  sst->require_subcommand(1);

  auto args = std::make_shared<SstDumpArgs>();
  CLI::App* dump = sst->add_subcommand(
      "dump",
      "Print a table's properties and index, optionally every entry, and verify the checksum "
      "of every data block; exit 1 on any damage");
  dump->add_option("FILE", args->file, "Table file, e.g. strata-data/000005.sst")->required();
  dump->add_flag("--entries", args->entries, "Print every entry (key, value size, first bytes)");
  dump->add_flag("--internal-keys", args->internal_keys,
                 "Decode each key's 8-byte trailer as sequence and type (automatic for tables "
                 "a DB wrote)");
  dump->add_option("--preview", args->preview, "Bytes of each key and value shown");
  dump->callback([args, &exit_code] { exit_code = Dump(*args); });
}

}  // namespace strata::cli
