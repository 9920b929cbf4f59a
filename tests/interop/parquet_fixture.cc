// parquet_fixture: the C++ side of the Parquet interop tests (tests/interop/*.mjs).
//
//   parquet_fixture write DIR   writes the catalog's files (fixture_catalog.h) with Strata's
//                               writer into DIR, each NAME.parquet with NAME.rows.jsonl (its
//                               rows, one JSON array per line, from the generator's values),
//                               and DIR/manifest.json (what each file's metadata must show,
//                               see fixture_manifest.h)
//   parquet_fixture read FILE   reads FILE with Strata's reader and prints a header line
//                               {"columns":[{"name":..,"type":..}],"num_rows":N} and then
//                               every row as a JSON array, in the canonical form of
//                               fixture_json.h
//
// Exit status 0 on success, 1 on any error (with the reason on stderr), 2 on bad usage.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "fixture_catalog.h"
#include "fixture_json.h"
#include "fixture_manifest.h"
#include "parquet/created_by.h"
#include "parquet/parquet_reader.h"
#include "parquet/parquet_writer.h"
#include "strata/env.h"

namespace strata::interop {
namespace {

using parquet::ColumnBatch;
using parquet::ColumnVector;
using parquet::Type;

// Rows [begin, end) of src as a batch of their own: the writer gets the file in several
// Write calls, as a streaming producer would call it.
ColumnBatch Slice(const ColumnBatch& src, size_t begin, size_t end) {
  ColumnBatch out(src.schema());
  for (size_t c = 0; c < src.num_columns(); c++) {
    const ColumnVector& from = src.column(c);
    ColumnVector& to = out.column(c);
    for (size_t r = begin; r < end; r++) {
      if (!from.IsValid(r)) {
        to.AppendNull();
        continue;
      }
      switch (from.physical()) {
        case Type::kBoolean:
          to.AppendBool(from.Value<uint8_t>(r) != 0);
          break;
        case Type::kInt32:
          to.AppendInt32(from.Value<int32_t>(r));
          break;
        case Type::kInt64:
          to.AppendInt64(from.Value<int64_t>(r));
          break;
        case Type::kFloat:
          to.AppendFloat(from.Value<float>(r));
          break;
        case Type::kDouble:
          to.AppendDouble(from.Value<double>(r));
          break;
        default:
          to.AppendBytes(from.Bytes(r));
          break;
      }
    }
  }
  return out;
}

std::string RowJson(const parquet::Schema& schema, const ColumnBatch& batch, size_t row) {
  std::string line = "[";
  for (size_t c = 0; c < batch.num_columns(); c++) {
    if (c > 0) line += ",";
    AppendCanonicalValue(schema.column(c), batch.column(c), row, &line);
  }
  line += "]\n";
  return line;
}

bool WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "parquet_fixture: cannot write " << path << "\n";
    return false;
  }
  return true;
}

int Write(const std::string& dir) {
  Env* env = Env::Default();
  if (Status s = env->CreateDirIfMissing(dir); !s.ok()) {
    std::cerr << "parquet_fixture: " << s.ToString() << "\n";
    return 1;
  }
  std::vector<std::string> entries;
  for (const FixtureFile& file : Catalog()) {
    const ColumnBatch values = GenerateValues(file);
    const std::string path = dir + "/" + file.name + ".parquet";
    auto writer =
        parquet::ParquetWriter::Open(env, path, file.schema(), file.WriterOptionsWithColumns());
    if (!writer.ok()) {
      std::cerr << "parquet_fixture: " << file.name << ": " << writer.status().ToString() << "\n";
      return 1;
    }
    constexpr size_t kWriteBatchRows = 900;  // not a divisor of any row-group size
    for (size_t at = 0; at < file.rows; at += kWriteBatchRows) {
      const ColumnBatch part = Slice(values, at, std::min(file.rows, at + kWriteBatchRows));
      if (Status s = (*writer)->Write(part); !s.ok()) {
        std::cerr << "parquet_fixture: " << file.name << ": " << s.ToString() << "\n";
        return 1;
      }
    }
    if (auto summary = (*writer)->Close(); !summary.ok()) {
      std::cerr << "parquet_fixture: " << file.name << ": " << summary.status().ToString() << "\n";
      return 1;
    }

    std::string rows;
    for (size_t r = 0; r < file.rows; r++) rows += RowJson(values.schema(), values, r);
    if (!WriteText(dir + "/" + file.name + ".rows.jsonl", rows)) return 1;
    entries.push_back(ManifestEntry(file, values));
  }
  const std::string manifest =
      JsonObject({{"created_by", JsonString(parquet::CreatedBy())}, {"files", JsonArray(entries)}});
  if (!WriteText(dir + "/manifest.json", manifest + "\n")) return 1;
  std::cout << "parquet_fixture: wrote " << entries.size() << " files to " << dir << "\n";
  return 0;
}

int Read(const std::string& path) {
  auto reader = parquet::ParquetReader::Open(Env::Default(), path);
  if (!reader.ok()) {
    std::cerr << "parquet_fixture: " << reader.status().ToString() << "\n";
    return 1;
  }
  const parquet::Schema& schema = (*reader)->schema();
  std::vector<std::string> columns;
  for (const parquet::ColumnSpec& c : schema.columns()) {
    columns.push_back(JsonObject(
        {{"name", JsonString(c.name)}, {"type", JsonString(parquet::Schema::TypeName(c))}}));
  }
  std::string out = JsonObject({{"columns", JsonArray(columns)},
                                {"num_rows", std::to_string((*reader)->num_rows())}}) +
                    "\n";
  auto batches = (*reader)->Scan(parquet::ScanOptions());
  if (!batches.ok()) {
    std::cerr << "parquet_fixture: " << batches.status().ToString() << "\n";
    return 1;
  }
  ColumnBatch batch;
  while (true) {
    auto more = (*batches)->Next(&batch);
    if (!more.ok()) {
      std::cerr << "parquet_fixture: " << more.status().ToString() << "\n";
      return 1;
    }
    if (!*more) break;
    for (size_t r = 0; r < batch.num_rows(); r++) out += RowJson(schema, batch, r);
    std::fwrite(out.data(), 1, out.size(), stdout);
    out.clear();
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace
}  // namespace strata::interop

int main(int argc, char** argv) {
  const std::string mode = argc == 3 ? argv[1] : "";
  if (mode == "write") return strata::interop::Write(argv[2]);
  if (mode == "read") return strata::interop::Read(argv[2]);
  std::cerr << "usage: parquet_fixture write DIR | parquet_fixture read FILE\n";
  return 2;
}
