// Small helpers for '/'-separated paths.
#pragma once

#include <string>

namespace strata {

// "a/b" + "c" -> "a/b/c"; an empty dir gives name alone.
std::string JoinPath(const std::string& dir, const std::string& name);
// The directory part: "a/b/c" -> "a/b", "c" -> ".", "/c" -> "/".
std::string DirName(const std::string& path);
// The last component: "a/b/c" -> "c".
std::string BaseName(const std::string& path);

}  // namespace strata
