// strata parquet inspect FILE [--json]
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "parquet/parquet_reader.h"
#include "parquet_commands.h"
#include "parquet_inspect_document.h"
#include "strata/env.h"

namespace strata::cli {

namespace {

using nlohmann::ordered_json;

// Longest key/value metadata value shown in text mode (Spark and Arrow store whole schemas
// there); --json shows everything.
constexpr size_t kMaxTextValue = 200;
// Labels are padded to this width so the values line up.
constexpr int kLabelWidth = 20;

struct InspectArgs {
  std::string file;
  bool json = false;
};

// s with control bytes as \xHH, so one value stays on one line, cut after limit bytes.
std::string Printable(const std::string& s, size_t limit = std::string::npos) {
  std::string out;
  const size_t n = std::min(s.size(), limit);
  for (size_t i = 0; i < n; i++) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (n < s.size()) out += "... (" + std::to_string(s.size()) + " bytes)";
  return out;
}

// A JSON scalar as text: strings without quotes, null as "-".
std::string Text(const ordered_json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return Printable(v.get<std::string>());
  return v.dump();
}

void Line(int indent, const std::string& label, const std::string& value) {
  std::printf("%*s%-*s %s\n", indent, "", kLabelWidth - indent, (label + ":").c_str(),
              value.c_str());
}

std::string Join(const std::vector<std::string>& parts, const char* separator = ", ") {
  std::string out;
  for (size_t i = 0; i < parts.size(); i++) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

// Rows of cells printed as columns padded to their widest cell.
void PrintTable(int indent, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t c = 0; c < row.size(); c++) widths[c] = std::max(widths[c], row[c].size());
  }
  for (const auto& row : rows) {
    std::string line(indent, ' ');
    for (size_t c = 0; c < row.size(); c++) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(widths[c] - row[c].size() + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  }
}

std::string StatisticsText(const ordered_json& s, bool quote_bounds) {
  if (s.is_null()) return "none";
  std::vector<std::string> parts;
  if (!s["null_count"].is_null()) parts.push_back("nulls " + Text(s["null_count"]));
  if (!s["nan_count"].is_null()) parts.push_back("NaNs " + Text(s["nan_count"]));
  if (!s["distinct_count"].is_null()) parts.push_back("distinct " + Text(s["distinct_count"]));
  const char* prefix = s["deprecated_min_max"].get<bool>() ? "deprecated " : "";
  for (const char* bound : {"min", "max"}) {
    const ordered_json& v = s[bound];
    if (v.is_null()) continue;
    std::string text = Printable(v.get<std::string>());
    if (quote_bounds) text = "\"" + text + "\"";
    const ordered_json& exact = s[std::string(bound) + "_exact"];
    if (!exact.is_null()) text += exact.get<bool>() ? " (exact)" : " (inexact)";
    parts.push_back(prefix + std::string(bound) + " " + text);
  }
  return parts.empty() ? "none" : Join(parts);
}

void PrintColumnChunk(const ordered_json& chunk, const ordered_json& column) {
  std::printf("  column %s:\n", Printable(chunk["name"].get<std::string>()).c_str());
  Line(4, "codec", Text(chunk["codec"]));
  std::vector<std::string> encodings;
  for (const auto& e : chunk["encodings"]) encodings.push_back(e.get<std::string>());
  Line(4, "encodings", Join(encodings));
  if (!chunk["encoding_stats"].is_null()) {
    std::vector<std::string> stats;
    for (const auto& s : chunk["encoding_stats"]) {
      stats.push_back(s["page_type"].get<std::string>() + " " + s["encoding"].get<std::string>() +
                      " x" + s["count"].dump());
    }
    Line(4, "encoding stats", Join(stats));
  }
  Line(4, "values", Text(chunk["num_values"]));
  Line(4, "sizes",
       Text(chunk["total_compressed_size"]) + " compressed, " +
           Text(chunk["total_uncompressed_size"]) + " uncompressed");
  std::string offsets;
  if (!chunk["dictionary_page_offset"].is_null()) {
    offsets = "dictionary page " + Text(chunk["dictionary_page_offset"]) + ", ";
  }
  offsets += "data page " + Text(chunk["data_page_offset"]);
  if (!chunk["index_page_offset"].is_null()) {
    offsets += ", index page " + Text(chunk["index_page_offset"]);
  }
  Line(4, "offsets", offsets);
  const std::string physical = column["physical_type"].get<std::string>();
  Line(4, "statistics",
       StatisticsText(chunk["statistics"],
                      physical == "BYTE_ARRAY" || physical == "FIXED_LEN_BYTE_ARRAY"));
  Line(4, "bloom filter",
       chunk["bloom_filter_offset"].is_null()
           ? "none"
           : "offset " + Text(chunk["bloom_filter_offset"]) + ", " +
                 Text(chunk["bloom_filter_length"]) + " bytes");
  std::vector<std::string> index;
  if (!chunk["column_index_offset"].is_null()) {
    index.push_back("column index " + Text(chunk["column_index_offset"]) + " (" +
                    Text(chunk["column_index_length"]) + " bytes)");
  }
  if (!chunk["offset_index_offset"].is_null()) {
    index.push_back("offset index " + Text(chunk["offset_index_offset"]) + " (" +
                    Text(chunk["offset_index_length"]) + " bytes)");
  }
  Line(4, "page index", index.empty() ? "none" : Join(index));
}

void PrintText(const ordered_json& doc) {
  Line(0, "file", Text(doc["file"]));
  Line(0, "size",
       Text(doc["file_size"]) + " bytes (footer " + Text(doc["footer_length"]) + " bytes)");
  Line(0, "created_by", Text(doc["created_by"]));
  Line(0, "format version", Text(doc["version"]));
  Line(0, "rows", Text(doc["num_rows"]));
  Line(0, "row groups", Text(doc["num_row_groups"]));
  const ordered_json& kvs = doc["key_value_metadata"];
  Line(0, "key/value metadata", kvs.is_null() ? "none" : std::to_string(kvs.size()));
  if (!kvs.is_null()) {
    for (const auto& kv : kvs) {
      const std::string value =
          kv["value"].is_null() ? "(no value)" : Printable(kv["value"], kMaxTextValue);
      std::printf("  %s = %s\n", Printable(kv["key"], kMaxTextValue).c_str(), value.c_str());
    }
  }

  const ordered_json& columns = doc["columns"];
  Line(0, "schema", std::to_string(columns.size()) + " columns");
  std::vector<std::vector<std::string>> table = {
      {"#", "name", "type", "physical", "logical", "converted", "repetition", "length", "order"}};
  for (const auto& c : columns) {
    table.push_back({Text(c["index"]), Text(c["name"]), Text(c["type"]), Text(c["physical_type"]),
                     Text(c["logical_type"]), Text(c["converted_type"]), Text(c["repetition"]),
                     Text(c["type_length"]), Text(c["column_order"])});
  }
  PrintTable(2, table);

  for (const auto& rg : doc["row_groups"]) {
    std::string summary =
        Text(rg["num_rows"]) + " rows, " + Text(rg["total_byte_size"]) + " bytes uncompressed";
    if (!rg["total_compressed_size"].is_null()) {
      summary += ", " + Text(rg["total_compressed_size"]) + " compressed";
    }
    if (!rg["file_offset"].is_null()) summary += ", offset " + Text(rg["file_offset"]);
    Line(0, "row group " + Text(rg["index"]), summary);
    std::vector<std::string> sorting;
    if (!rg["sorting_columns"].is_null()) {
      for (const auto& sc : rg["sorting_columns"]) {
        const std::string name =
            sc["column"].is_null() ? "#" + sc["column_idx"].dump() : Text(sc["column"]);
        sorting.push_back(name + (sc["descending"].get<bool>() ? " DESC" : " ASC") +
                          (sc["nulls_first"].get<bool>() ? " NULLS FIRST" : " NULLS LAST"));
      }
    }
    Line(2, "sorting columns", sorting.empty() ? "none" : Join(sorting));
    const ordered_json& chunks = rg["columns"];
    for (size_t c = 0; c < chunks.size(); c++) PrintColumnChunk(chunks[c], columns[c]);
  }
}

int Inspect(const InspectArgs& args) {
  Result<std::unique_ptr<parquet::ParquetReader>> reader =
      parquet::ParquetReader::Open(Env::Default(), args.file);
  if (!reader.ok()) return ParquetFailure(reader.status());
  const ordered_json doc = InspectDocument(**reader);
  if (args.json) {
    // Bytes that are not UTF-8 (in names, metadata or string bounds) become U+FFFD rather
    // than an exception.
    std::printf("%s\n", doc.dump(2, ' ', false, ordered_json::error_handler_t::replace).c_str());
  } else {
    PrintText(doc);
  }
  return 0;
}

}  // namespace

void AddParquetInspectCommand(CLI::App& parquet, int& exit_code) {
  auto args = std::make_shared<InspectArgs>();
  CLI::App* cmd = parquet.add_subcommand(
      "inspect", "Print a Parquet file's footer: schema, row groups, column chunks, statistics");
  cmd->footer(
      "Text: size, created_by, created_by, rows, format version, key/value "
      "metadata (values cut at 200 bytes), the schema (physical type, logical and converted "
      "annotation, REQUIRED/OPTIONAL, length, column order), then per row group its rows, "
      "sizes and sorting columns, and per column chunk its codec, encodings, page encoding "
      "counts, sizes, page offsets, statistics (min and max as cat prints values, with "
      "exact/inexact), bloom filter and page index locations. Reading the footer validates it; "
      "exit 1 if the file is not a readable Parquet file.\n"
      "--json prints one JSON document instead: keys file, file_size, footer_length, "
      "created_by, version, num_rows, num_row_groups, key_value_metadata [{key, value}], "
      "columns [{index, name, type, physical_type, logical_type, converted_type, repetition, "
      "type_length, column_order}], row_groups [{index, num_rows, total_byte_size, "
      "total_compressed_size, file_offset, ordinal, sorting_columns [{column_idx, column, "
      "descending, nulls_first}], columns [{name, codec, encodings, encoding_stats "
      "[{page_type, encoding, count}], num_values, total_compressed_size, "
      "total_uncompressed_size, data_page_offset, dictionary_page_offset, index_page_offset, "
      "statistics {null_count, nan_count, distinct_count, min, max, min_exact, max_exact, "
      "deprecated_min_max}, bloom_filter_offset, bloom_filter_length, column_index_offset, "
      "column_index_length, offset_index_offset, offset_index_length}]}]; a field the file "
      "does not set is null; min and max are strings.");
  cmd->add_option("FILE", args->file, "Parquet file")->required();
  cmd->add_flag("--json", args->json, "Print one JSON document instead of text");
  cmd->callback([args, &exit_code] { exit_code = Inspect(*args); });
}

}  // namespace strata::cli
