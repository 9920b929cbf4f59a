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

Status::Status(Code code, const Slice& msg, const Slice& detail)
    : state_(std::make_unique<State>()) {
  state_->code = code;
  state_->message = msg.ToString();
  if (!detail.empty()) {
    state_->message.append(": ");
    state_->message.append(detail.data(), detail.size());
  }
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return state_ ? state_->message : kEmpty;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string s = CodeName(state_->code);
  if (!state_->message.empty()) {
    s.append(": ");
    s.append(state_->message);
  }
  return s;
}

}  // namespace strata
