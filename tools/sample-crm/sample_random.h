// SampleRandom: a small deterministic pseudo-random generator (splitmix64).
//
// The sample CRM must be byte-identical for a seed on every machine, so it uses
// no std::*_distribution (their output differs between standard libraries) and
// no floating point: only 64-bit integer arithmetic. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dsr::sample_crm {

class SampleRandom {
 public:
  explicit SampleRandom(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    uint64_t mixed = state_;
    mixed = (mixed ^ (mixed >> 30)) * 0xBF58476D1CE4E5B9ULL;
    mixed = (mixed ^ (mixed >> 27)) * 0x94D049BB133111EBULL;
    return mixed ^ (mixed >> 31);
  }

  // A number in [low, high], both included; requires low <= high. The modulo
  // bias is far below anything a sample could show.
  int64_t Between(int64_t low, int64_t high) {
    const uint64_t span = static_cast<uint64_t>(high - low) + 1;
    return low + static_cast<int64_t>(Next() % span);
  }

  // True with a probability of `per_mille` / 1000.
  bool Chance(int per_mille) { return Between(0, 999) < per_mille; }

  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(Between(0, static_cast<int64_t>(items.size()) - 1))];
  }

  // `count` random decimal digits.
  std::string Digits(int count) {
    std::string digits;
    for (int i = 0; i < count; ++i) digits += static_cast<char>('0' + Between(0, 9));
    return digits;
  }

 private:
  uint64_t state_;
};

}  // namespace dsr::sample_crm
