// Status: the outcome of an operation that can fail.
//
// A status is a code plus, for failures that have one, a message on the heap. OK and a
// failure without a message (the NotFound of a point lookup) allocate nothing. Messages name
// their context (file, byte offset, key) so a caller can report them as they are. Functions that
// can fail return Status (or Result<T> internally) and callers must look at it: the class is
// [[nodiscard]].
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
    // A conditional write whose condition did not hold (object storage: put-if-absent found
    // the object, If-Match found another version). Its own code: commits are built on it.
    kPreconditionFailed = 8,
  };

  Status() = default;
  Status(const Status& s) : code_(s.code_), message_(CopyMessage(s)) {}
  Status& operator=(const Status& s) {
    if (this != &s) {
      code_ = s.code_;
      message_ = CopyMessage(s);
    }
    return *this;
  }
  // A moved-from status is OK.
  Status(Status&& s) noexcept : code_(s.code_), message_(std::move(s.message_)) {
    s.code_ = Code::kOk;
  }
  Status& operator=(Status&& s) noexcept {
    if (this != &s) {
      code_ = s.code_;
      message_ = std::move(s.message_);
      s.code_ = Code::kOk;
    }
    return *this;
  }

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
  static Status PreconditionFailed(const Slice& msg, const Slice& detail = Slice()) {
    return Status(Code::kPreconditionFailed, msg, detail);
  }

  bool ok() const { return code_ == Code::kOk; }
  bool IsNotFound() const { return code() == Code::kNotFound; }
  bool IsCorruption() const { return code() == Code::kCorruption; }
  bool IsIOError() const { return code() == Code::kIOError; }
  bool IsInvalidArgument() const { return code() == Code::kInvalidArgument; }
  bool IsNotSupported() const { return code() == Code::kNotSupported; }
  bool IsBusy() const { return code() == Code::kBusy; }
  bool IsAborted() const { return code() == Code::kAborted; }
  bool IsPreconditionFailed() const { return code() == Code::kPreconditionFailed; }

  Code code() const { return code_; }
  // The message alone, without the code name; empty for OK.
  const std::string& message() const;
  // "OK", or the code name followed by ": " and the message.
  std::string ToString() const;

 private:
  Status(Code code, const Slice& msg, const Slice& detail);

  static std::unique_ptr<std::string> CopyMessage(const Status& s) {
    return s.message_ ? std::make_unique<std::string>(*s.message_) : nullptr;
  }

  Code code_ = Code::kOk;
  std::unique_ptr<std::string> message_;  // null when the message is empty
};

}  // namespace strata
