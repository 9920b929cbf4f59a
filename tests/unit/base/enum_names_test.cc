// EnumName / ParseEnum / EnumChoices over a table declared as the header says enums declare
// theirs; expectations are written out by hand.
#include "base/enum_names.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

namespace strata::enum_names_test {

enum class Fruit : uint8_t { kApple = 1, kPear = 2, kFig = 7 };

constexpr auto EnumNameTable(Fruit) {
  return std::to_array<EnumNameEntry<Fruit>>({
      {Fruit::kApple, "apple"},
      {Fruit::kPear, "pear"},
      {Fruit::kApple, "malus"},  // an alias: parsed, never printed
  });
}

// An unscoped enum, as on-disk type bytes sometimes are.
enum Color : int { kRed = -1, kBlue = 3 };

constexpr auto EnumNameTable(Color) {
  return std::to_array<EnumNameEntry<Color>>({{kRed, "RED"}, {kBlue, "BLUE"}});
}

TEST(EnumNames, NamesPrintAsWrittenAndUnnamedValuesAsNumbers) {
  EXPECT_EQ(EnumName(Fruit::kApple), "apple");
  EXPECT_EQ(EnumName(Fruit::kPear), "pear");
  EXPECT_EQ(EnumName(Fruit::kFig), "7");  // no entry: its number (uint8_t, not a char)
  EXPECT_EQ(EnumName(static_cast<Fruit>(200)), "200");
  EXPECT_EQ(EnumName(kRed), "RED");
  EXPECT_EQ(EnumName(static_cast<Color>(-5)), "-5");
  static_assert(FindEnumName(Fruit::kPear).value() == "pear");
  static_assert(!FindEnumName(Fruit::kFig).has_value());
}

TEST(EnumNames, ParsingIgnoresCaseAndTakesAliases) {
  EXPECT_EQ(ParseEnum<Fruit>("apple"), Fruit::kApple);
  EXPECT_EQ(ParseEnum<Fruit>("PeAr"), Fruit::kPear);
  EXPECT_EQ(ParseEnum<Fruit>("MALUS"), Fruit::kApple);
  EXPECT_EQ(ParseEnum<Color>("blue"), kBlue);
  EXPECT_FALSE(ParseEnum<Fruit>("fig").has_value());
  EXPECT_FALSE(ParseEnum<Fruit>("").has_value());
  EXPECT_FALSE(ParseEnum<Fruit>("apples").has_value());
  EXPECT_FALSE(ParseEnum<Fruit>("appl").has_value());
}

TEST(EnumNames, ChoicesListEachValueOnceWithoutAliases) {
  EXPECT_EQ(EnumChoices<Fruit>(), "apple|pear");
  EXPECT_EQ(EnumChoices<Fruit>(", "), "apple, pear");
  EXPECT_EQ(EnumChoices<Color>(), "RED|BLUE");
}

TEST(EnumNames, ChoicesCanBeLimitedToSomeValues) {
  EXPECT_EQ(EnumChoices<Fruit>(", ", [](Fruit f) { return f != Fruit::kApple; }), "pear");
  EXPECT_EQ(EnumChoices<Fruit>("|", [](Fruit) { return false; }), "");
  EXPECT_EQ(EnumChoices<Color>("/", [](Color c) { return c == kRed || c == kBlue; }), "RED/BLUE");
}

}  // namespace strata::enum_names_test
