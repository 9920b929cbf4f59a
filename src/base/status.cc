#include "strata/status.h"

namespace strata {

namespace {

const char* CodeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk:
      return "OK";
    case Status::Code::kNotFound:
      return "NotFound";
    case Status::Code::kCorruption:
      return "Corruption";
    case Status::Code::kIOError:
      return "IOError";
    case Status::Code::kInvalidArgument:
      return "InvalidArgument";
    case Status::Code::kNotSupported:
      return "NotSupported";
    case Status::Code::kBusy:
      return "Busy";
    case Status::Code::kAborted:
      return "Aborted";
  }
  return "Unknown";
}

}  // namespace

Status::Status(Code code, const Slice& msg, const Slice& detail) : code_(code) {
  if (msg.empty() && detail.empty()) return;
  message_ = std::make_unique<std::string>(msg.data(), msg.size());
  if (!detail.empty()) {
    message_->append(": ");
    message_->append(detail.data(), detail.size());
  }
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return message_ ? *message_ : kEmpty;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string s = CodeName(code_);
  if (message_) {
    s.append(": ");
    s.append(*message_);
  }
  return s;
}

}  // namespace strata
