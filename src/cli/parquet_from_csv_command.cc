// strata parquet from-csv IN.csv OUT.parquet [options]
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "parquet/codec.h"
#include "parquet/csv_import.h"
#include "parquet/csv_schema.h"
#include "parquet_commands.h"
#include "sort/external_sorter.h"
#include "strata/env.h"

namespace strata::cli {

namespace {

struct FromCsvArgs {
  std::string in;
  std::string out;
  std::string schema;
  std::string compression = "snappy";
  int compression_level = 0;
  size_t row_group_rows = parquet::WriterOptions().row_group_rows;
  std::string sort_by;
  bool header = true;
  std::string delimiter = ",";
  int page_version = 1;
  bool dictionary = true;
  std::string bloom_filter;
};

// --sort-by through merge's external sorter: runs of rows are sorted and spilled next to the
// output file, so memory stays bounded however large the CSV is.
class SpillingRowSorter : public parquet::RowSorter {
 public:
  SpillingRowSorter(const parquet::Schema& schema, const std::vector<int>& key_columns,
                    sort::ExternalSorterOptions options)
      : sorter_(schema, key_columns, std::move(options)) {}
  // After a failure the runs are still on disk.
  ~SpillingRowSorter() override { sorter_.RemoveRunFiles(); }

  Status Add(const parquet::ColumnBatch& batch) override { return sorter_.Add(batch); }
  Status Finish(const std::function<Status(const parquet::ColumnBatch&)>& sink) override {
    return sorter_.Finish(sink);
  }

 private:
  sort::ExternalSorter sorter_;
};

// Spilled runs are "<OUT>.sort-run.NNNN.parquet", beside the output.
parquet::RowSorterFactory SpillingSorterFor(const std::string& out) {
  const size_t slash = out.rfind('/');
  sort::ExternalSorterOptions options;
  options.run_dir = slash == std::string::npos ? "." : out.substr(0, slash);
  if (options.run_dir.empty()) options.run_dir = "/";
  options.run_prefix = (slash == std::string::npos ? out : out.substr(slash + 1)) + ".sort-run";
  // Merging holds about one run's compressed column chunks per input run, so the fan-in
  // bounds memory: 16 runs stay near 150 MB for typical rows (measured 141 MB for 2M rows,
  // 145 MB for 4M, where the default of 128 grew to 262 MB), at the cost of an extra pass
  // over the data beyond 16 runs (1.6M rows).
  options.fan_in = 16;
  return [options](
             const parquet::Schema& schema,
             const std::vector<int>& key_columns) -> Result<std::unique_ptr<parquet::RowSorter>> {
    return std::unique_ptr<parquet::RowSorter>(
        std::make_unique<SpillingRowSorter>(schema, key_columns, options));
  };
}

// The delimiter option as one byte: a single character, or \t / tab for a tab.
bool DelimiterChar(const std::string& text, char* out) {
  if (text == "\\t" || text == "tab") {
    *out = '\t';
    return true;
  }
  if (text.size() != 1 || text[0] == '"' || text[0] == '\n' || text[0] == '\r') return false;
  *out = text[0];
  return true;
}

int FromCsv(const FromCsvArgs& args) {
  parquet::CsvImportOptions options;
  options.header = args.header;
  if (!DelimiterChar(args.delimiter, &options.csv.delimiter)) {
    return ParquetFailure(Status::InvalidArgument("--delimiter", "must be one character"));
  }
  if (!args.schema.empty()) {
    Result<parquet::Schema> schema = parquet::ParseSchemaText(args.schema);
    if (!schema.ok()) return ParquetFailure(schema.status());
    options.schema = std::move(*schema);
  }
  options.sort_by = SplitList(args.sort_by);
  options.make_sorter = SpillingSorterFor(args.out);

  parquet::WriterOptions& writer = options.writer;
  const auto codec = ParseEnum<parquet::CompressionCodec>(args.compression);
  if (!codec || !parquet::CodecSupported(*codec)) {
    return ParquetFailure(
        Status::InvalidArgument("--compression", "unknown codec " + args.compression));
  }
  writer.compression = *codec;
  writer.compression_level = args.compression_level;
  writer.row_group_rows = args.row_group_rows;
  writer.data_page_version = args.page_version;
  writer.default_column.dictionary = args.dictionary;
  for (const std::string& name : SplitList(args.bloom_filter)) {
    parquet::ColumnOptions column = writer.default_column;
    column.bloom_filter = true;
    writer.columns[name] = column;
  }

  Result<parquet::CsvImportSummary> summary =
      parquet::ImportCsv(Env::Default(), args.in, args.out, options);
  if (!summary.ok()) return ParquetFailure(summary.status());
  std::printf("wrote %s: %llu rows, %zu row group%s, %llu bytes, %s\n", args.out.c_str(),
              static_cast<unsigned long long>(summary->rows), summary->row_groups,
              summary->row_groups == 1 ? "" : "s",
              static_cast<unsigned long long>(summary->file_bytes),
              EnumName(writer.compression).c_str());
  return 0;
}

// The codecs --compression takes: the ones Strata writes, by their Parquet names.
std::string Codecs() {
  return EnumChoices<parquet::CompressionCodec>(", ", parquet::CodecSupported);
}

}  // namespace

void AddParquetFromCsvCommand(CLI::App& parquet, int& exit_code) {
  auto args = std::make_shared<FromCsvArgs>();
  CLI::App* cmd = parquet.add_subcommand(
      "from-csv",
      "Convert a CSV file into a Parquet file and print rows, row groups, bytes, codec");
  cmd->footer(
      "CSV as RFC 4180 describes it (: quoted fields with \"\" for a quote, embedded delimiters "
      "and newlines, LF or CRLF line ends, a UTF-8 byte order mark skipped).\n"
      "Without --schema the file is read twice, first to infer each column's type: bool "
      "(true/false), int64, double, date (YYYY-MM-DD), timestamp (YYYY-MM-DD HH:MM:SS[.f...]"
      "[Z], unit ms/us/ns by the longest fraction), else string (binary if not UTF-8); "
      "inferred columns are OPTIONAL.\n"
      "Values: integers in decimal (out of range is an error), floats also NaN, Infinity, "
      "-Infinity, inf; binary with \\xHH escapes; timestamps UTC, ' ' or 'T' before the time. "
      "An empty field is NULL in an OPTIONAL column, the empty string in a REQUIRED string "
      "column, an error elsewhere; a quoted empty field \"\" is always the empty string in "
      "string and binary columns. Errors name the line and the column; the output is written "
      "to OUT.tmp and renamed, so a failure leaves no partial file.");
  cmd->add_option("IN", args->in, "CSV file to read")->required();
  cmd->add_option("OUT", args->out, "Parquet file to write (replaced if it exists)")->required();
  cmd->add_option("--schema", args->schema,
                  "Column types instead of inference, in file order: \"name:type,...\" with "
                  "types bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float, "
                  "double, string, binary, fixed[N], date, timestamp_ms, timestamp_us, "
                  "timestamp_ns; a trailing ? makes a column OPTIONAL (nullable), otherwise it "
                  "is REQUIRED (as inspect prints types). With a header, the names must match "
                  "it. Empty: infer");
  cmd->add_option("--compression", args->compression, "Page codec, in any letter case: " + Codecs())
      ->check([](const std::string& text) {
        const auto codec = ParseEnum<parquet::CompressionCodec>(text);
        return codec && parquet::CodecSupported(*codec)
                   ? std::string()
                   : "unknown codec " + text + " (" + Codecs() + ")";
      });
  cmd->add_option("--compression-level", args->compression_level,
                  "zstd level 1..22 or gzip level 1..9; 0: the codec's default (zstd 3, gzip 6)");
  cmd->add_option("--row-group-rows", args->row_group_rows, "Most rows per row group")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--sort-by", args->sort_by,
                  "Sort rows by these columns (comma-separated; ascending, NULLs first, NaN "
                  "last) and record them as each row group's sorting columns. Memory stays "
                  "bounded: rows are sorted in runs of up to 100000 rows or 64 MiB, spilled "
                  "beside OUT as OUT.sort-run.NNNN.parquet, merged, and deleted. Empty: keep "
                  "the file's order");
  cmd->add_flag("--header,!--no-header", args->header,
                "The first line names the columns. Default: --header; with --no-header the "
                "names come from --schema, or are column1, column2, ...");
  cmd->add_option("--delimiter", args->delimiter, "Field delimiter: one character, or \\t / tab")
      ->check([](const std::string& text) {
        char c;
        return DelimiterChar(text, &c) ? std::string()
                                       : std::string(
                                             "--delimiter must be one character other "
                                             "than a quote or a line end, or \\t");
      });
  cmd->add_option("--page-version", args->page_version, "Data page version: 1 or 2")
      ->check(CLI::IsMember({1, 2}));
  cmd->add_flag("--dictionary,!--no-dictionary", args->dictionary,
                "Dictionary-encode columns while the dictionary pays for itself. Default: "
                "--dictionary; --no-dictionary writes PLAIN only");
  cmd->add_option("--bloom-filter", args->bloom_filter,
                  "Write split-block bloom filters for these columns (comma-separated). Empty: "
                  "none");
  cmd->callback([args, &exit_code] { exit_code = FromCsv(*args); });
}

}  // namespace strata::cli
