#include "parquet/csv_reader.h"

#include <algorithm>
#include <cstring>

namespace strata::parquet {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

}  // namespace

Result<std::unique_ptr<CsvReader>> CsvReader::Open(Env* env, const std::string& path,
                                                   const CsvOptions& options) {
  auto source = FileByteSource::Open(path, env);
  if (!source.ok()) return source.status();
  return std::make_unique<CsvReader>(std::move(*source), path, options);
}

std::unique_ptr<CsvReader> CsvReader::FromString(std::string text, std::string name,
                                                 const CsvOptions& options) {
  return std::make_unique<CsvReader>(std::make_unique<StringByteSource>(std::move(text)),
                                     std::move(name), options);
}

CsvReader::CsvReader(std::unique_ptr<ByteSource> source, std::string name,
                     const CsvOptions& options)
    : source_(std::move(source)), name_(std::move(name)), options_(options) {}

Status CsvReader::Error(uint64_t line, const std::string& what) const {
  return Status::InvalidArgument(name_ + ": line " + std::to_string(line), what);
}

Result<bool> CsvReader::Fill() {
  if (eof_) return false;
  const size_t chunk = std::max<size_t>(options_.read_chunk_bytes, 1);
  buf_.clear();
  pos_ = 0;
  // The first fill reads until it can tell whether the input starts with a byte order mark.
  const size_t want = started_ ? 1 : kByteOrderMark.size();
  while (buf_.size() < want) {
    const size_t old_size = buf_.size();
    buf_.resize(old_size + chunk);
    Result<size_t> got = source_->Read(buf_.data() + old_size, chunk);
    if (!got.ok()) return got.status();
    buf_.resize(old_size + *got);
    if (*got == 0) {
      eof_ = true;
      break;
    }
  }
  if (!started_) {
    started_ = true;
    if (std::string_view(buf_).substr(0, kByteOrderMark.size()) == kByteOrderMark) {
      pos_ = kByteOrderMark.size();
      // The mark may have been all this read returned.
      if (pos_ == buf_.size()) return Fill();
    }
  }
  return pos_ < buf_.size();
}

Result<bool> CsvReader::Next(CsvRecord* record) {
  enum class State : uint8_t { kRecordStart, kFieldStart, kUnquoted, kQuoted, kAfterQuote };
  record->fields.clear();
  record->quoted.clear();
  field_bytes_.clear();
  field_ends_.clear();
  const char delimiter = options_.delimiter;
  State state = State::kRecordStart;
  uint64_t record_line = line_;
  uint64_t quote_line = 0;  // where the open quoted field started
  auto end_field = [&](bool quoted) {
    field_ends_.push_back(field_bytes_.size());
    record->quoted.push_back(quoted ? 1 : 0);
  };

  bool done = false;
  while (!done) {
    if (pos_ == buf_.size()) {
      Result<bool> more = Fill();
      if (!more.ok()) return more.status();
      if (!*more) {
        switch (state) {
          case State::kRecordStart:
            return false;
          case State::kQuoted:
            return Error(quote_line, "quoted field not closed before the end of the input");
          case State::kAfterQuote:
            end_field(true);
            break;
          case State::kFieldStart:
          case State::kUnquoted:
            end_field(false);
            break;
        }
        break;
      }
    }
    // The LF of a CRLF whose CR ended the previous record.
    if (skip_lf_) {
      skip_lf_ = false;
      if (buf_[pos_] == '\n') {
        pos_++;
        continue;
      }
    }
    if (state == State::kRecordStart) record_line = line_;
    const char c = buf_[pos_];
    switch (state) {
      case State::kRecordStart:
      case State::kFieldStart:
        if (c == '"') {
          state = State::kQuoted;
          quote_line = line_;
          pos_++;
        } else {
          state = State::kUnquoted;
        }
        break;
      case State::kUnquoted: {
        // Copy the run of ordinary bytes at once; stop at the first byte that means something.
        size_t end = pos_;
        while (end < buf_.size()) {
          const char b = buf_[end];
          if (b == delimiter || b == '\n' || b == '\r' || b == '"') break;
          end++;
        }
        field_bytes_.append(buf_, pos_, end - pos_);
        pos_ = end;
        if (pos_ == buf_.size()) break;
        const char b = buf_[pos_++];
        if (b == delimiter) {
          end_field(false);
          state = State::kFieldStart;
        } else if (b == '"') {
          return Error(line_, "quote inside an unquoted field " +
                                  std::to_string(field_ends_.size() + 1) +
                                  " (quote the whole field and double the quote)");
        } else {  // a line end
          end_field(false);
          line_++;
          skip_lf_ = b == '\r';
          done = true;
        }
        break;
      }
      case State::kQuoted: {
        size_t end = pos_;
        while (end < buf_.size() && buf_[end] != '"' && buf_[end] != '\n') end++;
        field_bytes_.append(buf_, pos_, end - pos_);
        pos_ = end;
        if (pos_ == buf_.size()) break;
        if (buf_[pos_++] == '"') {
          state = State::kAfterQuote;
        } else {
          field_bytes_.push_back('\n');
          line_++;
        }
        break;
      }
      case State::kAfterQuote:
        pos_++;
        if (c == '"') {  // "" inside a quoted field
          field_bytes_.push_back('"');
          state = State::kQuoted;
        } else if (c == delimiter) {
          end_field(true);
          state = State::kFieldStart;
        } else if (c == '\n' || c == '\r') {
          end_field(true);
          line_++;
          skip_lf_ = c == '\r';
          done = true;
        } else {
          return Error(line_, "unexpected character after the closing quote of field " +
                                  std::to_string(field_ends_.size() + 1));
        }
        break;
    }
  }

  record->line = record_line;
  size_t begin = 0;
  record->fields.reserve(field_ends_.size());
  for (const size_t end : field_ends_) {
    record->fields.emplace_back(field_bytes_.data() + begin, end - begin);
    begin = end;
  }
  return true;
}

}  // namespace strata::parquet
