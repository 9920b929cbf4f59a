// Status: the outcome of an operation that can fail.
//
// An OK status carries nothing and costs one null pointer. A failure carries a code and a
// message; messages name their context (file, byte offset, key) so a caller can report them
// as they are. Functions that can fail return Status (or Result<T> internally) and callers
// must look at it: the class is [[nodiscard]].
#pragma once

#include <memory>
#include <string>

#include "strata/slice.h"

namespace strata {

class [[nodiscard]] Status {
 public:
  enum class Code : unsigned char {
    kOk = 0,
    kNotFound = 1,
    kCorruption = 2,
    kIOError = 3,
    kInvalidArgument = 4,
    kNotSupported = 5,
    kBusy = 6,
    kAborted = 7,
  };

  Status() = default;
  Status(const Status& s) : state_(s.state_ ? std::make_unique<State>(*s.state_) : nullptr) {}
  Status& operator=(const Status& s) {
    if (this != &s) state_ = s.state_ ? std::make_unique<State>(*s.state_) : nullptr;
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }
  static Status NotFound(const Slice& msg, const Slice& detail = Slice()) {
    return Status(Code::kNotFound, msg, detail);
  }
  static Status Corruption(const Slice& msg, const Slice& detail = Slice()) {
    return Status(Code::kCorruption, msg, detail);
  }
  static Status IOError(const Slice& msg, const Slice& detail = Slice()) {
    return Status(Code::kIOError, msg, detail);
  }
  static Status InvalidArgument(const Slice& msg, const Slice& detail = Slice()) {
    return Status(Code::kInvalidArgument, msg, detail);
  }
  static Status NotSupported(const Slice& msg, const Slice& detail = Slice()) {
    return Status(Code::kNotSupported, msg, detail);
  }
  static Status Busy(const Slice& msg, const Slice& detail = Slice()) {
    return Status(Code::kBusy, msg, detail);
  }
  static Status Aborted(const Slice& msg, const Slice& detail = Slice()) {
    return Status(Code::kAborted, msg, detail);
  }

  bool ok() const { return state_ == nullptr; }
  bool IsNotFound() const { return code() == Code::kNotFound; }
  bool IsCorruption() const { return code() == Code::kCorruption; }
  bool IsIOError() const { return code() == Code::kIOError; }
  bool IsInvalidArgument() const { return code() == Code::kInvalidArgument; }
  bool IsNotSupported() const { return code() == Code::kNotSupported; }
  bool IsBusy() const { return code() == Code::kBusy; }
  bool IsAborted() const { return code() == Code::kAborted; }

  Code code() const { return state_ ? state_->code : Code::kOk; }
  // The message alone, without the code name; empty for OK.
  const std::string& message() const;
  // "OK", or the code name followed by ": " and the message.
  std::string ToString() const;

 private:
  struct State {
    Code code;
    std::string message;
  };

  Status(Code code, const Slice& msg, const Slice& detail);

  std::unique_ptr<State> state_;  // null means OK
};

}  // namespace strata
