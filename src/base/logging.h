// Logging for the whole code base: messages go to stderr, one line each, with a timestamp and
// the level. A thin wrapper over spdlog, so that no other module includes spdlog or fmt.
//
// The initial level comes from the environment variable STRATA_LOG_LEVEL (debug, info, warn,
// error or off; case-insensitive) and is kWarn when it is unset or not understood. All
// functions are thread-safe.
#pragma once

#include <string_view>

namespace strata::log {

enum class Level { kDebug, kInfo, kWarn, kError, kOff };

// Messages below level are dropped; kOff drops everything.
void SetLevel(Level level);
Level GetLevel();
// Whether a message at level would be written: lets a caller skip building an expensive one.
bool IsEnabled(Level level);

// Parses "debug", "info", "warn", "error" or "off", in any letter case. Returns false and
// leaves *level alone for anything else.
bool ParseLevel(std::string_view text, Level* level);

// msg is written as it is (braces are not format directives).
void Debug(std::string_view msg);
void Info(std::string_view msg);
void Warn(std::string_view msg);
void Error(std::string_view msg);

}  // namespace strata::log
