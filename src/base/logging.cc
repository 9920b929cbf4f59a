#include "base/logging.h"

#include <spdlog/logger.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <cstdlib>
#include <memory>
#include <string>

namespace strata::log {

namespace {

constexpr Level kDefaultLevel = Level::kWarn;
constexpr const char* kLevelEnvVar = "STRATA_LOG_LEVEL";

spdlog::level::level_enum ToSpdlog(Level level) {
  switch (level) {
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarn:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
    case Level::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::off;
}

Level FromSpdlog(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return Level::kDebug;
    case spdlog::level::info:
      return Level::kInfo;
    case spdlog::level::warn:
      return Level::kWarn;
    case spdlog::level::err:
    case spdlog::level::critical:
      return Level::kError;
    default:
      return Level::kOff;
  }
}

// Built on first use (function-local statics are initialised once, thread-safely). The
// logger is deliberately not registered with spdlog's global registry, so another library in
// the same process that uses spdlog cannot collide with it or reconfigure it.
spdlog::logger& Logger() {
  static spdlog::logger* const logger = [] {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    // Leaked on purpose: logging must keep working from other static destructors.
    auto* l = new spdlog::logger("strata", std::move(sink));
    l->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%l] %v");
    Level level = kDefaultLevel;
    const char* env = std::getenv(kLevelEnvVar);
    const bool understood = env == nullptr || ParseLevel(env, &level);
    l->set_level(ToSpdlog(level));
    if (!understood) {
      l->warn(std::string(kLevelEnvVar) + "=" + env + " is not one of debug, info, warn, " +
              "error, off; using warn");
    }
    return l;
  }();
  return *logger;
}

void Write(spdlog::level::level_enum level, std::string_view msg) {
  // The string_view overload writes msg verbatim rather than parsing it as a format string.
  Logger().log(level, spdlog::string_view_t(msg.data(), msg.size()));
}

char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    if (ToLower(a[i]) != ToLower(b[i])) return false;
  }
  return true;
}

}  // namespace

bool ParseLevel(std::string_view text, Level* level) {
  static constexpr struct {
    std::string_view name;
    Level level;
  } kNames[] = {
      {"debug", Level::kDebug}, {"info", Level::kInfo}, {"warn", Level::kWarn},
      {"error", Level::kError}, {"off", Level::kOff},
  };
  for (const auto& entry : kNames) {
    if (EqualsIgnoreCase(text, entry.name)) {
      *level = entry.level;
      return true;
    }
  }
  return false;
}

void SetLevel(Level level) { Logger().set_level(ToSpdlog(level)); }
Level GetLevel() { return FromSpdlog(Logger().level()); }
bool IsEnabled(Level level) { return level != Level::kOff && Logger().should_log(ToSpdlog(level)); }

void Debug(std::string_view msg) { Write(spdlog::level::debug, msg); }
void Info(std::string_view msg) { Write(spdlog::level::info, msg); }
void Warn(std::string_view msg) { Write(spdlog::level::warn, msg); }
void Error(std::string_view msg) { Write(spdlog::level::err, msg); }

}  // namespace strata::log
