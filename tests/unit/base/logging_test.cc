#include "base/logging.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace strata {
namespace {

// Restores the level a test found, so tests do not depend on each other's order.
class LoggingTest : public ::testing::Test {
 protected:
  void SetUp() override { saved_ = log::GetLevel(); }
  void TearDown() override { log::SetLevel(saved_); }

 private:
  log::Level saved_ = log::Level::kWarn;
};

// What a call writes to stderr.
template <typename F>
std::string Captured(F f) {
  ::testing::internal::CaptureStderr();
  f();
  return ::testing::internal::GetCapturedStderr();
}

TEST_F(LoggingTest, ParseLevel) {
  log::Level level = log::Level::kOff;
  EXPECT_TRUE(log::ParseLevel("debug", &level));
  EXPECT_EQ(level, log::Level::kDebug);
  EXPECT_TRUE(log::ParseLevel("info", &level));
  EXPECT_EQ(level, log::Level::kInfo);
  EXPECT_TRUE(log::ParseLevel("warn", &level));
  EXPECT_EQ(level, log::Level::kWarn);
  EXPECT_TRUE(log::ParseLevel("error", &level));
  EXPECT_EQ(level, log::Level::kError);
  EXPECT_TRUE(log::ParseLevel("off", &level));
  EXPECT_EQ(level, log::Level::kOff);
  EXPECT_TRUE(log::ParseLevel("DeBuG", &level));
  EXPECT_EQ(level, log::Level::kDebug);

  level = log::Level::kInfo;
  for (const char* bad : {"", "warning", "err", "debug ", "5", "offf"}) {
    EXPECT_FALSE(log::ParseLevel(bad, &level)) << bad;
    EXPECT_EQ(level, log::Level::kInfo) << bad;
  }
}

TEST_F(LoggingTest, SetLevelIsReflectedByGetLevelAndIsEnabled) {
  for (log::Level level : {log::Level::kDebug, log::Level::kInfo, log::Level::kWarn,
                           log::Level::kError, log::Level::kOff}) {
    log::SetLevel(level);
    EXPECT_EQ(log::GetLevel(), level);
  }
  log::SetLevel(log::Level::kWarn);
  EXPECT_FALSE(log::IsEnabled(log::Level::kDebug));
  EXPECT_FALSE(log::IsEnabled(log::Level::kInfo));
  EXPECT_TRUE(log::IsEnabled(log::Level::kWarn));
  EXPECT_TRUE(log::IsEnabled(log::Level::kError));
  EXPECT_FALSE(log::IsEnabled(log::Level::kOff));
  log::SetLevel(log::Level::kOff);
  EXPECT_FALSE(log::IsEnabled(log::Level::kError));
}

TEST_F(LoggingTest, MessagesBelowTheLevelAreDropped) {
  log::SetLevel(log::Level::kWarn);
  const std::string out = Captured([] {
    log::Debug("debug-message");
    log::Info("info-message");
    log::Warn("warn-message");
    log::Error("error-message");
  });
  EXPECT_EQ(out.find("debug-message"), std::string::npos);
  EXPECT_EQ(out.find("info-message"), std::string::npos);
  EXPECT_NE(out.find("warn-message"), std::string::npos) << out;
  EXPECT_NE(out.find("error-message"), std::string::npos) << out;
}

TEST_F(LoggingTest, OffDropsEverything) {
  log::SetLevel(log::Level::kOff);
  const std::string out = Captured([] { log::Error("should not appear"); });
  EXPECT_EQ(out, "");
}

TEST_F(LoggingTest, DebugLevelWritesEverythingOneLineEach) {
  log::SetLevel(log::Level::kDebug);
  const std::string out = Captured([] {
    log::Debug("one");
    log::Info("two");
  });
  EXPECT_NE(out.find("one"), std::string::npos);
  EXPECT_NE(out.find("two"), std::string::npos);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2) << out;
}

TEST_F(LoggingTest, BracesAreNotFormatDirectives) {
  log::SetLevel(log::Level::kInfo);
  const std::string out = Captured([] { log::Info("key {} and {0} and {:x} stay"); });
  EXPECT_NE(out.find("key {} and {0} and {:x} stay"), std::string::npos) << out;
}

TEST_F(LoggingTest, EmbeddedNulAndEmptyMessages) {
  log::SetLevel(log::Level::kInfo);
  const std::string out = Captured([] {
    log::Info(std::string_view("a\0b", 3));
    log::Info("");
  });
  EXPECT_NE(out.find(std::string("a\0b", 3)), std::string::npos);
}

TEST_F(LoggingTest, ConcurrentLoggingKeepsLinesWhole) {
  log::SetLevel(log::Level::kWarn);
  constexpr int kThreads = 4;
  constexpr int kMessages = 500;
  const std::string out = Captured([] {
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; t++) {
      threads.emplace_back([t] {
        for (int i = 0; i < kMessages; i++) {
          log::Warn("thread " + std::to_string(t) + " message " + std::to_string(i) + " end");
          log::Info("dropped");
          if (i % 100 == 0) log::SetLevel(log::Level::kWarn);  // racing a reader is fine
        }
      });
    }
    for (std::thread& th : threads) th.join();
  });
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), kThreads * kMessages);
  EXPECT_EQ(out.find("dropped"), std::string::npos);
  // Every line holds exactly one whole message: lines are never interleaved.
  size_t start = 0;
  int lines = 0;
  while (start < out.size()) {
    const size_t end = out.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    const std::string line = out.substr(start, end - start);
    EXPECT_NE(line.find("message"), std::string::npos) << line;
    EXPECT_EQ(line.substr(line.size() - 4), " end") << line;
    start = end + 1;
    lines++;
  }
  EXPECT_EQ(lines, kThreads * kMessages);
}

// The level from STRATA_LOG_LEVEL is read once, when logging is first used, so each case runs
// in a fresh child process ("threadsafe" death tests re-execute the binary) that inherits the
// variable.
class LoggingEnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    const char* old = std::getenv(kVar);
    had_value_ = old != nullptr;
    if (had_value_) old_value_ = old;
  }
  void TearDown() override {
    if (had_value_) {
      setenv(kVar, old_value_.c_str(), 1);
    } else {
      unsetenv(kVar);
    }
  }

  static constexpr const char* kVar = "STRATA_LOG_LEVEL";

 private:
  bool had_value_ = false;
  std::string old_value_;
};

// Exits with 0 when the initial level is `expected`.
[[noreturn]] void ExitWithLevelCheck(log::Level expected) {
  std::exit(log::GetLevel() == expected ? 0 : 1);
}

TEST_F(LoggingEnvTest, DefaultIsWarn) {
  unsetenv(kVar);
  EXPECT_EXIT(ExitWithLevelCheck(log::Level::kWarn), ::testing::ExitedWithCode(0), "");
}

TEST_F(LoggingEnvTest, LevelComesFromTheEnvironment) {
  setenv(kVar, "error", 1);
  EXPECT_EXIT(ExitWithLevelCheck(log::Level::kError), ::testing::ExitedWithCode(0), "");
  setenv(kVar, "DEBUG", 1);
  EXPECT_EXIT(ExitWithLevelCheck(log::Level::kDebug), ::testing::ExitedWithCode(0), "");
  setenv(kVar, "off", 1);
  EXPECT_EXIT(ExitWithLevelCheck(log::Level::kOff), ::testing::ExitedWithCode(0), "");
}

TEST_F(LoggingEnvTest, UnknownValueFallsBackToWarnAndSaysSo) {
  setenv(kVar, "loud", 1);
  EXPECT_EXIT(ExitWithLevelCheck(log::Level::kWarn), ::testing::ExitedWithCode(0),
              "STRATA_LOG_LEVEL=loud");
}

}  // namespace
}  // namespace strata
