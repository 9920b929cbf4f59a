// CsvReader: splits CSV text into records and fields, as RFC 4180 describes, streaming: it
// holds one read chunk and one record, never the file.
//
//  - Records end at LF, CRLF or a lone CR; the last record may lack its line end. A line end
//    at the very end of the input does not start another record, but every other line is a
//    record, an empty one too (a record of one empty field).
//  - A field that starts with a quote is quoted: it ends at the next lone quote, "" inside it
//    stands for one quote, and delimiters, CR and LF inside it are data. The closing quote
//    must be followed by the delimiter, a line end or the end of the input.
//  - A quote inside an unquoted field is an error (RFC 4180 asks for such fields to be
//    quoted), as is a quoted field still open at the end of the input.
//  - A UTF-8 byte order mark at the start of the input is skipped.
// Field bytes are returned as they are, with no trimming and no character-set check; whether
// a field was quoted is kept, because an empty quoted field means an empty string and an empty
// unquoted one NULL.
//
// Errors are InvalidArgument "<name>: line <n>: <what>"; lines count from 1 and count line
// ends inside quoted fields too, so they match what an editor shows.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/byte_source.h"
#include "base/result.h"
#include "strata/env.h"

namespace strata::parquet {

struct CsvOptions {
  char delimiter = ',';
  // Bytes read from the file at a time.
  size_t read_chunk_bytes = 1 << 20;
};

// One record. The views point into the reader and stay valid until its next Next().
struct CsvRecord {
  std::vector<std::string_view> fields;
  std::vector<uint8_t> quoted;  // per field: 1 if it was quoted
  uint64_t line = 0;            // the line the record starts on, from 1
};

class CsvReader {
 public:
  static Result<std::unique_ptr<CsvReader>> Open(Env* env, const std::string& path,
                                                 const CsvOptions& options);
  // Reads CSV held in memory; name is used in messages. For tests and small inputs.
  static std::unique_ptr<CsvReader> FromString(std::string text, std::string name,
                                               const CsvOptions& options);

  // Reads source; name is used in messages.
  CsvReader(std::unique_ptr<ByteSource> source, std::string name, const CsvOptions& options);

  // The next record into *record; false at the end of the input.
  Result<bool> Next(CsvRecord* record);

  const std::string& name() const { return name_; }

 private:
  // Reads the next chunk into buf_ (keeping nothing of the old one: fields are copied out
  // as they are parsed). False at the end of the input.
  Result<bool> Fill();
  Status Error(uint64_t line, const std::string& what) const;

  std::unique_ptr<ByteSource> source_;
  const std::string name_;
  const CsvOptions options_;
  std::string buf_;  // the current chunk
  size_t pos_ = 0;   // next unread byte of buf_
  bool eof_ = false;
  bool started_ = false;  // whether the byte order mark check was done
  bool skip_lf_ = false;  // the last record ended with CR: skip an LF right after it
  uint64_t line_ = 1;     // line of the next unread byte
  // The record being built: field bytes back to back, with each field's end offset.
  std::string field_bytes_;
  std::vector<size_t> field_ends_;
};

}  // namespace strata::parquet
