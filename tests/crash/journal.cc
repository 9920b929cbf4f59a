#include "crash/journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace strata::crash {

Status JournalWriter::Create(const std::string& path, std::unique_ptr<JournalWriter>* writer) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("create journal " + path, std::strerror(errno));
  *writer = std::make_unique<JournalWriter>(path, fd);
  return Status::OK();
}

JournalWriter::~JournalWriter() { ::close(fd_); }

Status JournalWriter::WriteLine(const std::string& line) {
  // One write(2) per line: a kill can only cut the line being written, never interleave.
  const ssize_t n = ::write(fd_, line.data(), line.size());
  if (n != static_cast<ssize_t>(line.size())) {
    return Status::IOError("write journal " + path_, n < 0 ? std::strerror(errno) : "short write");
  }
  return Status::OK();
}

Status JournalWriter::Opened() { return WriteLine("opened\n"); }

Status JournalWriter::Issue(uint64_t index) {
  return WriteLine("issue " + std::to_string(index) + "\n");
}

Status JournalWriter::Ack(uint64_t index, bool sync) {
  return WriteLine("ack " + std::to_string(index) + (sync ? " 1\n" : " 0\n"));
}

Status ReadJournal(const std::string& path, JournalSummary* summary) {
  *summary = JournalSummary();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("open journal " + path, std::strerror(errno));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t line_no = 0;
  size_t pos = 0;
  while (true) {
    const size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) break;  // nothing left, or a line the kill cut short
    const std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    line_no++;
    const auto bad = [&](const std::string& why) {
      return Status::Corruption(path + ": line " + std::to_string(line_no) + " \"" + line + "\"",
                                why);
    };
    std::istringstream fields(line);
    std::string word;
    fields >> word;
    if (word == "opened") {
      if (line_no != 1) return bad("\"opened\" must be the first line");
      summary->opened = true;
      continue;
    }
    if (!summary->opened) return bad("operations before \"opened\"");
    uint64_t index = 0;
    if (!(fields >> index)) return bad("no operation index");
    if (word == "issue") {
      if (summary->issued != summary->acked) return bad("operation issued before the last ack");
      if (index != summary->issued) return bad("expected issue " + std::to_string(summary->issued));
      summary->issued++;
    } else if (word == "ack") {
      int sync = -1;
      if (!(fields >> sync) || (sync != 0 && sync != 1)) return bad("sync flag is not 0 or 1");
      if (summary->issued != summary->acked + 1 || index != summary->acked) {
        return bad("ack of an operation that is not the one in flight");
      }
      summary->acked++;
      summary->synced += static_cast<uint64_t>(sync);
    } else {
      return bad("unknown record");
    }
    std::string extra;
    if (fields >> extra) return bad("trailing fields");
  }
  return Status::OK();
}

}  // namespace strata::crash
