// strata parquet cat FILE [--columns a,b] [--limit N] [--format csv|jsonl] [--where ...]
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parquet/parquet_reader.h"
#include "parquet/value_format.h"
#include "parquet_commands.h"
#include "parquet_where.h"
#include "strata/env.h"

namespace strata::cli {

namespace {

struct CatArgs {
  std::string file;
  std::string columns;
  uint64_t limit = 0;
  std::string format = "csv";
  std::string where;
};

// Output is built per batch and written at once: one fwrite per batch, not per value.
constexpr size_t kFlushBytes = 1 << 20;

void Flush(std::string* out) {
  std::fwrite(out->data(), 1, out->size(), stdout);
  out->clear();
}

void AppendCsvRow(const parquet::Schema& schema, const parquet::ColumnBatch& batch,
                  size_t printed_columns, size_t row, std::string* out) {
  std::string text;
  for (size_t c = 0; c < printed_columns; c++) {
    if (c > 0) out->push_back(',');
    const parquet::ColumnVector& values = batch.column(c);
    if (!values.IsValid(row)) continue;  // NULL: an empty field
    text.clear();
    parquet::AppendValue(schema.column(c), values, row, parquet::ValueStyle::kText, &text);
    // An empty string is quoted so that it differs from NULL.
    parquet::AppendCsvField(text, ',', text.empty(), out);
  }
  out->push_back('\n');
}

void AppendJsonRow(const parquet::Schema& schema, const parquet::ColumnBatch& batch,
                   size_t printed_columns, size_t row, std::string* out) {
  out->push_back('{');
  for (size_t c = 0; c < printed_columns; c++) {
    if (c > 0) out->push_back(',');
    parquet::AppendJsonString(schema.column(c).name, out);
    out->push_back(':');
    parquet::AppendValue(schema.column(c), batch.column(c), row, parquet::ValueStyle::kJson, out);
  }
  out->append("}\n");
}

int Cat(const CatArgs& args) {
  Result<std::unique_ptr<parquet::ParquetReader>> opened =
      parquet::ParquetReader::Open(Env::Default(), args.file);
  if (!opened.ok()) return ParquetFailure(opened.status());
  parquet::ParquetReader& reader = **opened;
  const parquet::Schema& file_schema = reader.schema();

  parquet::ScanOptions scan;
  scan.columns = SplitList(args.columns);
  if (scan.columns.empty()) {
    for (const parquet::ColumnSpec& c : file_schema.columns()) scan.columns.push_back(c.name);
  }
  for (const std::string& name : scan.columns) {
    if (file_schema.IndexOf(name) < 0) {
      return ParquetFailure(
          Status::InvalidArgument(args.file, "--columns: no column named \"" + name + "\""));
    }
  }
  // The printed columns come first; the --where column is read after them if not printed.
  const size_t printed_columns = scan.columns.size();
  std::optional<WhereFilter> where;
  size_t where_column = 0;
  if (!args.where.empty()) {
    Result<WhereFilter> parsed = WhereFilter::Parse(args.where, file_schema);
    if (!parsed.ok()) return ParquetFailure(parsed.status());
    where = std::move(*parsed);
    scan.predicates.push_back(where->predicate());
    where_column = scan.columns.size();
    for (size_t i = 0; i < scan.columns.size(); i++) {
      if (scan.columns[i] == where->column()) where_column = i;
    }
    if (where_column == scan.columns.size()) scan.columns.push_back(where->column());
  }

  Result<std::unique_ptr<parquet::BatchReader>> batches = reader.Scan(scan);
  if (!batches.ok()) return ParquetFailure(batches.status());
  const parquet::Schema& schema = (*batches)->schema();
  const bool csv = args.format == "csv";

  std::string out;
  if (csv) {
    for (size_t c = 0; c < printed_columns; c++) {
      if (c > 0) out.push_back(',');
      parquet::AppendCsvField(schema.column(c).name, ',', schema.column(c).name.empty(), &out);
    }
    out.push_back('\n');
  }
  uint64_t printed = 0;
  parquet::ColumnBatch batch;
  while (args.limit == 0 || printed < args.limit) {
    Result<bool> more = (*batches)->Next(&batch);
    if (!more.ok()) {
      Flush(&out);
      return ParquetFailure(more.status());
    }
    if (!*more) break;
    for (size_t row = 0; row < batch.num_rows(); row++) {
      if (where && !where->Matches(batch.column(where_column), row)) continue;
      if (csv) {
        AppendCsvRow(schema, batch, printed_columns, row, &out);
      } else {
        AppendJsonRow(schema, batch, printed_columns, row, &out);
      }
      if (out.size() >= kFlushBytes) Flush(&out);
      if (++printed == args.limit) break;
    }
  }
  Flush(&out);
  return 0;
}

}  // namespace

void AddParquetCatCommand(CLI::App& parquet, int& exit_code) {
  auto args = std::make_shared<CatArgs>();
  CLI::App* cmd = parquet.add_subcommand("cat", "Print a Parquet file's rows as CSV or JSON lines");
  cmd->footer(
      "csv: a header line, then one line per row, fields separated by ',' and quoted as RFC "
      "4180 asks (when they hold a comma, quote, CR or LF; an empty string is \"\", a NULL an "
      "empty field).\n"
      "jsonl: one JSON object per row, {\"column\":value,...} in column order; NULL is null.\n"
      "Values: integers in decimal (unsigned columns as unsigned; in JSON, numbers beyond 2^53 "
      "are printed exactly too, though readers that parse into doubles round them); floats "
      "as the shortest text that reads back to the same value; NaN, Infinity, -Infinity as "
      "those words (JSON strings); bool true/false; strings as UTF-8 (in JSON, bytes that are "
      "not UTF-8 become U+FFFD); binary with printable ASCII as is and every other byte, "
      "backslash and quotes too, as \\xHH (in JSON, that text as a string); DATE as "
      "YYYY-MM-DD; TIMESTAMP as YYYY-MM-DD HH:MM:SS.fff (ms), .ffffff (us) or .fffffffff (ns), "
      "UTC; dates and timestamps are JSON strings. from-csv reads all of this back.");
  cmd->add_option("FILE", args->file, "Parquet file")->required();
  cmd->add_option("--columns", args->columns,
                  "Columns to print, comma-separated, in this order. Empty: all");
  cmd->add_option("--limit", args->limit, "Most rows printed; 0: no limit");
  cmd->add_option("--format", args->format, "Output format: csv or jsonl")
      ->check(CLI::IsMember({"csv", "jsonl"}));
  cmd->add_option("--where", args->where,
                  "Print only rows where column<op>value holds, op one of = < <= > >= (e.g. "
                  "\"id>=100\", \"name=bob\"); row groups whose statistics or bloom filters "
                  "rule it out are not read. The value is written as cat prints it; NULL and "
                  "NaN never match. Empty: every row");
  cmd->callback([args, &exit_code] { exit_code = Cat(*args); });
}

}  // namespace strata::cli
