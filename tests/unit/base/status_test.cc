#include "strata/status.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace strata {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kOk);
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_EQ(s.message(), "");
  EXPECT_TRUE(Status::OK().ok());
  EXPECT_FALSE(s.IsNotFound());
  EXPECT_FALSE(s.IsCorruption());
}

TEST(StatusTest, EveryCodeHasItsPredicateAndName) {
  struct Case {
    Status status;
    Status::Code code;
    bool (Status::*predicate)() const;
    const char* name;
  };
  Case cases[] = {
      {Status::NotFound("m"), Status::Code::kNotFound, &Status::IsNotFound, "NotFound"},
      {Status::Corruption("m"), Status::Code::kCorruption, &Status::IsCorruption, "Corruption"},
      {Status::IOError("m"), Status::Code::kIOError, &Status::IsIOError, "IOError"},
      {Status::InvalidArgument("m"), Status::Code::kInvalidArgument, &Status::IsInvalidArgument,
       "InvalidArgument"},
      {Status::NotSupported("m"), Status::Code::kNotSupported, &Status::IsNotSupported,
       "NotSupported"},
      {Status::Busy("m"), Status::Code::kBusy, &Status::IsBusy, "Busy"},
      {Status::Aborted("m"), Status::Code::kAborted, &Status::IsAborted, "Aborted"},
      {Status::PreconditionFailed("m"), Status::Code::kPreconditionFailed,
       &Status::IsPreconditionFailed, "PreconditionFailed"},
  };
  for (const Case& c : cases) {
    EXPECT_FALSE(c.status.ok()) << c.name;
    EXPECT_EQ(c.status.code(), c.code) << c.name;
    EXPECT_TRUE((c.status.*c.predicate)()) << c.name;
    EXPECT_EQ(c.status.ToString(), std::string(c.name) + ": m");
    EXPECT_EQ(c.status.message(), "m");
    // Exactly one predicate holds.
    int holds = 0;
    for (const Case& other : cases) holds += (c.status.*other.predicate)() ? 1 : 0;
    EXPECT_EQ(holds, 1) << c.name;
  }
}

TEST(StatusTest, ToStringJoinsMessageAndDetail) {
  const Status s = Status::Corruption("msg", "detail");
  EXPECT_EQ(s.ToString(), "Corruption: msg: detail");
  EXPECT_EQ(s.message(), "msg: detail");
  EXPECT_EQ(Status::IOError("open /x", "No such file").ToString(),
            "IOError: open /x: No such file");
}

TEST(StatusTest, EmptyMessage) {
  EXPECT_EQ(Status::NotFound("").ToString(), "NotFound");
  EXPECT_FALSE(Status::NotFound("").ok());
}

TEST(StatusTest, MessageMayHoldAnyBytes) {
  const std::string raw("key\0with\xffnul", 12);
  const Status s = Status::NotFound(raw);
  EXPECT_EQ(s.message(), raw);
}

TEST(StatusTest, CopyIsIndependent) {
  Status a = Status::Corruption("a", "b");
  Status b = a;
  EXPECT_EQ(b.ToString(), "Corruption: a: b");
  a = Status::IOError("changed");
  EXPECT_EQ(b.ToString(), "Corruption: a: b");
  EXPECT_EQ(a.ToString(), "IOError: changed");

  Status ok;
  Status copy_of_ok = ok;
  EXPECT_TRUE(copy_of_ok.ok());
  b = ok;
  EXPECT_TRUE(b.ok());
  b = Status::Busy("x");
  EXPECT_TRUE(b.IsBusy());
}

TEST(StatusTest, SelfAssignment) {
  Status s = Status::Aborted("stop");
  Status& ref = s;
  s = ref;
  EXPECT_EQ(s.ToString(), "Aborted: stop");
}

TEST(StatusTest, Move) {
  Status a = Status::InvalidArgument("bad", "arg");
  Status b = std::move(a);
  EXPECT_EQ(b.ToString(), "InvalidArgument: bad: arg");
  Status c;
  c = std::move(b);
  EXPECT_TRUE(c.IsInvalidArgument());
  EXPECT_EQ(c.message(), "bad: arg");
  c = Status::OK();
  EXPECT_TRUE(c.ok());
}

TEST(StatusTest, FailureWithoutMessageKeepsItsCodeThroughCopyAndMove) {
  const Status plain = Status::NotFound(Slice());
  EXPECT_TRUE(plain.IsNotFound());
  EXPECT_EQ(plain.message(), "");
  Status copy = plain;
  EXPECT_TRUE(copy.IsNotFound());
  EXPECT_EQ(copy.ToString(), "NotFound");
  Status moved = std::move(copy);
  EXPECT_TRUE(moved.IsNotFound());
  EXPECT_TRUE(copy.ok());  // NOLINT(bugprone-use-after-move): moved-from is OK by contract
  Status assigned = Status::Corruption("x");
  assigned = plain;
  EXPECT_TRUE(assigned.IsNotFound());
  EXPECT_EQ(assigned.message(), "");
  assigned = Status::Busy("b");
  assigned = std::move(moved);
  EXPECT_TRUE(assigned.IsNotFound());
  EXPECT_EQ(assigned.message(), "");
  EXPECT_TRUE(moved.ok());  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace strata
