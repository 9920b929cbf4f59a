// Enum names, written once next to the enum and used everywhere: printing, parsing command
// line flags and configuration, listing the choices in --help and in error messages.
//
// An enum gets names by a constexpr function `EnumNameTable(E)` in the enum's own namespace,
// returning an array of {value, name} pairs; EnumName, ParseEnum and EnumChoices find it by
// argument-dependent lookup:
//
//   enum class SyncPolicy { kAlways, kInterval, kNone };
//   constexpr auto EnumNameTable(SyncPolicy) {
//     return std::to_array<EnumNameEntry<SyncPolicy>>(
//         {{SyncPolicy::kAlways, "always"}, {SyncPolicy::kInterval, "interval"},
//          {SyncPolicy::kNone, "none"}});
//   }
//
//   EnumName(SyncPolicy::kNone)           -> "none"
//   ParseEnum<SyncPolicy>("Interval")     -> SyncPolicy::kInterval   (letter case ignored)
//   EnumChoices<SyncPolicy>()             -> "always|interval|none"
//
// The first entry of a value is its name; later entries of the same value are aliases that
// ParseEnum accepts and EnumName never prints (Parquet's "none" for UNCOMPRESSED, say). A value
// without an entry, which a file or a peer can hand us, prints as its number.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace strata {

template <typename E>
struct EnumNameEntry {
  E value;
  std::string_view name;
};

namespace internal {

inline bool EqualIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace internal

// The name of `value`, or nullopt when the table has none.
template <typename E>
constexpr std::optional<std::string_view> FindEnumName(E value) {
  for (const auto& entry : EnumNameTable(E{})) {
    if (entry.value == value) return entry.name;
  }
  return std::nullopt;
}

// The name of `value`; a value the table does not name prints as its number.
template <typename E>
std::string EnumName(E value) {
  if (auto name = FindEnumName(value)) return std::string(*name);
  return std::to_string(static_cast<std::underlying_type_t<E>>(value) + 0);
}

// The value named `text` (a name or an alias, in any letter case), or nullopt.
template <typename E>
std::optional<E> ParseEnum(std::string_view text) {
  for (const auto& entry : EnumNameTable(E{})) {
    if (internal::EqualIgnoringCase(entry.name, text)) return entry.value;
  }
  return std::nullopt;
}

// The names of the values `keep` accepts (aliases left out), in table order, joined by
// `separator`: the choices of an option that takes only some of an enum's values (the Parquet
// codecs Strata can write, say).
template <typename E, typename Keep>
std::string EnumChoices(std::string_view separator, Keep keep) {
  std::string out;
  const auto table = EnumNameTable(E{});
  for (size_t i = 0; i < table.size(); i++) {
    bool alias = false;
    for (size_t j = 0; j < i; j++) alias = alias || table[j].value == table[i].value;
    if (alias || !keep(table[i].value)) continue;
    if (!out.empty()) out += separator;
    out += table[i].name;
  }
  return out;
}

// Every value's name (aliases left out), in table order, joined by `separator`: for --help
// and for the message that refuses an unknown name.
template <typename E>
std::string EnumChoices(std::string_view separator = "|") {
  return EnumChoices<E>(separator, [](E) { return true; });
}

}  // namespace strata
