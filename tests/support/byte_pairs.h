// Pairs of byte strings for testing orders: bytes from a small alphabet with high and low
// values, and b derived from a (one byte changed, cut short, lengthened, or equal), so equal
// prefixes and unsigned byte order both matter.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>

namespace strata::test {

// -1, 0 or 1: the sign of a comparison result.
inline int Sign(int x) { return (x > 0) - (x < 0); }

// Calls check(a, b) for `rounds` pairs drawn from seed, with a shorter than max_length + 1.
// check returns false to stop early (after a failed assertion).
template <class Check>
void ForEachBytePair(uint32_t seed, size_t max_length, int rounds, Check check) {
  static constexpr unsigned char kAlphabet[] = {0x00, 0x01, 'a', 'z', 0x7f, 0x80, 0xfe, 0xff};
  std::mt19937 rng(seed);
  auto random_bytes = [&rng](size_t n) {
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(kAlphabet[rng() % sizeof(kAlphabet)]);
    return s;
  };
  for (int round = 0; round < rounds; round++) {
    const size_t n = rng() % (max_length + 1);
    const std::string a = random_bytes(n);
    std::string b = a;
    switch (rng() % 4) {
      case 0:
        if (n > 0) b[rng() % n] = static_cast<char>(rng());
        break;
      case 1:
        b.resize(rng() % (n + 1));
        break;
      case 2:
        b += random_bytes(1 + rng() % 9);
        break;
      default:
        break;
    }
    if (!check(a, b)) return;
  }
}

}  // namespace strata::test
