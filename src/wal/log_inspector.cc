#include "wal/log_inspector.h"

#include <cinttypes>

#include "wal/log_reader.h"

namespace strata::wal {

namespace {

class PrintingReporter final : public LogReader::Reporter {
 public:
  PrintingReporter(std::FILE* out, InspectSummary* summary) : out_(out), summary_(summary) {}
  void Corruption(uint64_t offset, uint64_t bytes, const std::string& reason) override {
    summary_->damage_reports++;
    std::fprintf(out_, "corruption offset=%" PRIu64 " bytes=%" PRIu64 " reason=%s\n", offset, bytes,
                 reason.c_str());
  }

 private:
  std::FILE* const out_;
  InspectSummary* const summary_;
};

// Hex of the first n bytes, then the same bytes with non-printables as '.'.
std::string Preview(const Slice& data, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  const size_t shown = data.size() < n ? data.size() : n;
  std::string hex;
  std::string text;
  for (size_t i = 0; i < shown; i++) {
    const auto c = static_cast<unsigned char>(data[i]);
    hex.push_back(kHex[c >> 4]);
    hex.push_back(kHex[c & 0xf]);
    text.push_back(c >= 0x20 && c < 0x7f && c != '"' ? static_cast<char>(c) : '.');
  }
  std::string out = hex + " \"" + text + "\"";
  if (shown < data.size()) out += " ...";
  return out;
}

}  // namespace

Status InspectLog(Env* env, const std::string& path, const InspectOptions& options, std::FILE* out,
                  InspectSummary* summary) {
  *summary = InspectSummary();
  std::unique_ptr<SequentialFile> file;
  Status s = env->NewSequentialFile(path, &file);
  if (!s.ok()) return s;
  PrintingReporter reporter(out, summary);
  LogReader reader(path, std::move(file), &reporter, options.mode);

  Slice record;
  std::string scratch;
  bool header_printed = false;
  auto print_header = [&] {
    if (header_printed || !reader.has_header()) return;
    header_printed = true;
    const LogFileHeader& h = reader.header();
    std::fprintf(out, "header: version=%u purpose=%s log_number=%" PRIu64 "\n", h.version,
                 EnumName(h.purpose).c_str(), h.log_number);
  };
  while (reader.ReadRecord(&record, &scratch)) {
    print_header();
    summary->records++;
    summary->payload_bytes += record.size();
    if (options.print_records) {
      std::fprintf(out, "record offset=%" PRIu64 " length=%zu type=%s fragments=%d data=%s\n",
                   reader.last_record_offset(), record.size(),
                   reader.last_record_fragments() == 1 ? "FULL" : "FRAGMENTED",
                   reader.last_record_fragments(), Preview(record, options.preview_bytes).c_str());
    }
  }
  print_header();
  if (reader.tail_dropped()) {
    summary->tail_dropped = true;
    std::fprintf(out, "torn-tail offset=%" PRIu64 " reason=%s\n", reader.tail_offset(),
                 reader.tail_reason().c_str());
  }
  const char* end = !reader.status().ok() ? "error" : reader.tail_dropped() ? "torn-tail" : "clean";
  std::fprintf(out,
               "summary: records=%" PRIu64 " payload_bytes=%" PRIu64 " corruptions=%" PRIu64
               " valid_bytes=%" PRIu64 " end=%s\n",
               summary->records, summary->payload_bytes, summary->damage_reports,
               reader.end_of_valid_data(), end);
  return reader.status();
}

}  // namespace strata::wal
