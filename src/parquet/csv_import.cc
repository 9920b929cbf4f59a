#include "parquet/csv_import.h"

#include <functional>
#include <memory>
#include <set>

#include "parquet/column_batch.h"
#include "parquet/csv_schema.h"
#include "parquet/parquet_writer.h"
#include "parquet/value_parse.h"

namespace strata::parquet {

namespace {

Status LineError(const std::string& path, uint64_t line, const std::string& what) {
  return Status::InvalidArgument(path + ": line " + std::to_string(line), what);
}

// Reads the CSV file once: works out the column names (from the header, the schema or the
// first record) and hands every data record, its field count checked, to fn. Called once per
// pass, so both passes see the same records with the same line numbers.
class CsvPass {
 public:
  CsvPass(Env* env, const std::string& path, const CsvImportOptions& options)
      : env_(env), path_(path), options_(options) {}

  Status Run(const std::function<Status(const CsvRecord&)>& fn) {
    Result<std::unique_ptr<CsvReader>> reader = CsvReader::Open(env_, path_, options_.csv);
    if (!reader.ok()) return reader.status();
    CsvRecord record;
    Result<bool> more = (*reader)->Next(&record);
    if (!more.ok()) return more.status();
    bool pending = *more;  // record holds a data record not yet handed to fn
    if (options_.header) {
      if (!pending) return Status::InvalidArgument(path_, "empty file: no header line");
      Status s = TakeHeader(record);
      if (!s.ok()) return s;
      pending = false;
    } else if (options_.schema) {
      names_.clear();
      for (const ColumnSpec& c : options_.schema->columns()) names_.push_back(c.name);
    } else {
      if (!pending) return Status::InvalidArgument(path_, "empty file: no columns to infer");
      names_.clear();
      for (size_t i = 1; i <= record.fields.size(); i++) {
        names_.push_back("column" + std::to_string(i));
      }
    }
    while (true) {
      if (!pending) {
        more = (*reader)->Next(&record);
        if (!more.ok()) return more.status();
        if (!*more) return Status::OK();
      }
      pending = false;
      if (record.fields.size() != names_.size()) {
        return LineError(path_, record.line,
                         std::to_string(record.fields.size()) + " fields, expected " +
                             std::to_string(names_.size()) +
                             (options_.header ? " (as in the header)" : ""));
      }
      Status s = fn(record);
      if (!s.ok()) return s;
    }
  }

  const std::vector<std::string>& names() const { return names_; }

 private:
  Status TakeHeader(const CsvRecord& record) {
    names_.clear();
    std::set<std::string_view> seen;
    for (size_t i = 0; i < record.fields.size(); i++) {
      const std::string_view name = record.fields[i];
      if (name.empty()) {
        return LineError(path_, record.line,
                         "header field " + std::to_string(i + 1) +
                             " is empty: every column "
                             "needs a name");
      }
      if (!seen.insert(name).second) {
        return LineError(path_, record.line,
                         "column name \"" + std::string(name) + "\" appears twice in the header");
      }
      names_.emplace_back(name);
    }
    if (!options_.schema) return Status::OK();
    const Schema& schema = *options_.schema;
    if (names_.size() != schema.num_columns()) {
      return LineError(path_, record.line,
                       "the header has " + std::to_string(names_.size()) + " columns, --schema " +
                           std::to_string(schema.num_columns()));
    }
    for (size_t i = 0; i < names_.size(); i++) {
      if (names_[i] != schema.column(i).name) {
        return LineError(path_, record.line,
                         "header column " + std::to_string(i + 1) + " is \"" + names_[i] +
                             "\" but --schema names it \"" + schema.column(i).name + "\"");
      }
    }
    return Status::OK();
  }

  Env* const env_;
  const std::string path_;
  const CsvImportOptions& options_;
  std::vector<std::string> names_;
};

// Appends one record's fields to a batch as values of the schema's columns.
Status AppendRecord(const std::string& path, const Schema& schema, const CsvRecord& record,
                    ColumnBatch* batch) {
  for (size_t k = 0; k < record.fields.size(); k++) {
    const ColumnSpec& column = schema.column(k);
    const std::string_view field = record.fields[k];
    ColumnVector& out = batch->column(k);
    if (field.empty()) {
      // See csv_import.h: "" is an empty string, and so is an empty field where NULL is
      // impossible; otherwise an empty field is NULL.
      const bool bytes = column.physical == Type::kByteArray;
      if (bytes && (record.quoted[k] || !column.optional)) {
        out.AppendBytes("");
      } else if (column.optional) {
        out.AppendNull();
      } else {
        return Status::InvalidArgument(
            path + ": line " + std::to_string(record.line) + ", column " + std::to_string(k + 1) +
                " (" + column.name + ")",
            "empty field in a REQUIRED " + Schema::TypeName(column) +
                " column (mark it OPTIONAL with a trailing ? in --schema)");
      }
      continue;
    }
    Status s = AppendParsedValue(column, field, &out);
    if (!s.ok()) {
      return Status::InvalidArgument(path + ": line " + std::to_string(record.line) + ", column " +
                                         std::to_string(k + 1) + " (" + column.name + ")",
                                     s.message());
    }
  }
  return Status::OK();
}

Result<Schema> InferSchema(Env* env, const std::string& path, const CsvImportOptions& options) {
  CsvPass pass(env, path, options);
  std::unique_ptr<CsvTypeInference> inference;
  Status s = pass.Run([&](const CsvRecord& record) {
    if (!inference) inference = std::make_unique<CsvTypeInference>(record.fields.size());
    for (size_t k = 0; k < record.fields.size(); k++) inference->Observe(k, record.fields[k]);
    return Status::OK();
  });
  if (!s.ok()) return s;
  if (!inference) inference = std::make_unique<CsvTypeInference>(pass.names().size());
  std::vector<ColumnSpec> columns;
  for (size_t k = 0; k < pass.names().size(); k++) {
    columns.push_back(inference->Infer(k, pass.names()[k]));
  }
  return Schema(std::move(columns));
}

// The writer options with the sort order filled in; InvalidArgument for names the schema
// does not have.
Result<WriterOptions> ResolveWriterOptions(const Schema& schema, const CsvImportOptions& options) {
  WriterOptions writer = options.writer;
  for (const auto& [name, column_options] : writer.columns) {
    if (schema.IndexOf(name) < 0) {
      return Status::InvalidArgument("column " + name, "is not a column of the CSV file");
    }
  }
  if (!options.sort_by.empty()) {
    writer.sorting_columns.clear();
    for (const std::string& name : options.sort_by) {
      const int index = schema.IndexOf(name);
      if (index < 0) {
        return Status::InvalidArgument("sort column " + name, "is not a column of the CSV file");
      }
      SortingColumn sc;
      sc.column_idx = index;
      sc.descending = false;
      sc.nulls_first = true;
      writer.sorting_columns.push_back(sc);
    }
  }
  return writer;
}

}  // namespace

Result<CsvImportSummary> ImportCsv(Env* env, const std::string& csv_path,
                                   const std::string& parquet_path,
                                   const CsvImportOptions& options) {
  Schema schema;
  if (options.schema) {
    schema = *options.schema;
  } else {
    Result<Schema> inferred = InferSchema(env, csv_path, options);
    if (!inferred.ok()) return inferred.status();
    schema = std::move(*inferred);
  }
  Status s = schema.Validate();
  if (!s.ok()) return s;
  Result<WriterOptions> writer_options = ResolveWriterOptions(schema, options);
  if (!writer_options.ok()) return writer_options.status();

  const std::string tmp_path = parquet_path + ".tmp";
  Result<std::unique_ptr<ParquetWriter>> opened =
      ParquetWriter::Open(env, tmp_path, schema, *writer_options);
  if (!opened.ok()) return opened.status();
  std::unique_ptr<ParquetWriter> writer = std::move(*opened);
  auto fail = [&](Status error) -> Result<CsvImportSummary> {
    writer.reset();  // without Close: no footer, and the file goes
    (void)env->DeleteFile(tmp_path);
    return error;
  };

  // Unsorted, batches go to the writer as they fill; sorted, to the sorter, which hands
  // them to the writer once it has seen every row.
  std::unique_ptr<RowSorter> sorter;
  if (!options.sort_by.empty()) {
    if (!options.make_sorter) {
      return fail(Status::InvalidArgument("sort_by", "needs CsvImportOptions::make_sorter"));
    }
    std::vector<int> keys;
    for (const SortingColumn& sc : writer_options->sorting_columns) keys.push_back(sc.column_idx);
    Result<std::unique_ptr<RowSorter>> made = options.make_sorter(schema, keys);
    if (!made.ok()) return fail(made.status());
    sorter = std::move(*made);
  }
  auto flush = [&](const ColumnBatch& rows) {
    return sorter ? sorter->Add(rows) : writer->Write(rows);
  };
  const size_t batch_rows = std::max<size_t>(options.batch_rows, 1);
  ColumnBatch batch(schema);
  CsvPass pass(env, csv_path, options);
  s = pass.Run([&](const CsvRecord& record) {
    Status st = AppendRecord(csv_path, schema, record, &batch);
    if (!st.ok() || batch.num_rows() < batch_rows) return st;
    st = flush(batch);
    batch.Clear();
    return st;
  });
  if (s.ok() && batch.num_rows() > 0) s = flush(batch);
  if (s.ok() && sorter) {
    s = sorter->Finish([&](const ColumnBatch& rows) { return writer->Write(rows); });
  }
  sorter.reset();  // its spilled runs go, whatever happened
  if (!s.ok()) return fail(s);
  Result<WriteSummary> written = writer->Close();
  if (!written.ok()) return fail(written.status());
  writer.reset();
  s = env->RenameFile(tmp_path, parquet_path);
  if (!s.ok()) return fail(s);

  CsvImportSummary summary;
  summary.schema = schema;
  summary.rows = static_cast<uint64_t>(written->metadata.num_rows);
  summary.row_groups = written->metadata.row_groups.size();
  summary.file_bytes = written->file_bytes;
  return summary;
}

}  // namespace strata::parquet
