#include "strata/status.h"

#include <array>

#include "base/enum_names.h"

namespace strata {

// The codes as ToString() prints them. Here rather than beside the enum: the public header
// cannot include base/enum_names.h.
constexpr auto EnumNameTable(Status::Code) {
  return std::to_array<EnumNameEntry<Status::Code>>({
      {Status::Code::kOk, "OK"},
      {Status::Code::kNotFound, "NotFound"},
      {Status::Code::kCorruption, "Corruption"},
      {Status::Code::kIOError, "IOError"},
      {Status::Code::kInvalidArgument, "InvalidArgument"},
      {Status::Code::kNotSupported, "NotSupported"},
      {Status::Code::kBusy, "Busy"},
      {Status::Code::kAborted, "Aborted"},
      {Status::Code::kPreconditionFailed, "PreconditionFailed"},
  });
}

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
  std::string s = EnumName(code_);
  if (message_) {
    s.append(": ");
    s.append(*message_);
  }
  return s;
}

}  // namespace strata
