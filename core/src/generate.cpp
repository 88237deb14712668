// Deterministic example values: our own PCG32 generator and our own mapping to [low, high], so a
// seed gives bit-identical numbers natively and in WebAssembly (std:: distributions differ).
#include "convtutor/generate.h"

#include <cmath>
#include <limits>

namespace convtutor {
namespace {

// PCG32 (O'Neill's permuted congruential generator), XSH-RR output.
class Pcg32 {
 public:
  explicit Pcg32(std::uint32_t seed) {
    Next();
    state_ += seed;
    Next();
  }
  std::uint32_t Next() {
    const std::uint64_t old = state_;
    state_ = old * 6364136223846793005ULL + kIncrement;
    const auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
    const auto rotation = static_cast<std::uint32_t>(old >> 59u);
    return (xorshifted >> rotation) | (xorshifted << ((32u - rotation) & 31u));
  }
  // Uniform in [0, bound) without modulo bias.
  std::uint32_t Below(std::uint32_t bound) {
    const std::uint32_t threshold = (0u - bound) % bound;
    for (;;) {
      const std::uint32_t draw = Next();
      if (draw >= threshold) return draw % bound;
    }
  }

 private:
  static constexpr std::uint64_t kIncrement = 1442695040888963407ULL;
  std::uint64_t state_ = 0;
};

}  // namespace

std::vector<float> GenerateValues(std::size_t count, const FillSpec& spec) {
  std::vector<float> values(count, 0.0f);
  switch (spec.fill) {
    case Fill::kZeros:
      break;
    case Fill::kOnes:
      for (float& value : values) value = 1.0f;
      break;
    case Fill::kRamp:
      // 0, 1, 2, ... like torch.arange, so lessons can compare with PyTorch at a glance.
      for (std::size_t i = 0; i < count; ++i) values[i] = static_cast<float>(i);
      break;
    case Fill::kRandom: {
      Pcg32 generator(spec.seed);
      const float low = spec.low < spec.high ? spec.low : spec.high;
      const float high = spec.low < spec.high ? spec.high : spec.low;
      if (spec.integers) {
        // Every integer in [⌈low⌉, ⌊high⌋] equally likely; an empty range falls back to ⌈low⌉.
        const double first = std::ceil(static_cast<double>(low));
        const double last = std::floor(static_cast<double>(high));
        const double span = last >= first ? last - first + 1.0 : 1.0;
        if (span <= static_cast<double>(std::numeric_limits<std::uint32_t>::max())) {
          const auto choices = static_cast<std::uint32_t>(span);
          for (float& value : values) value = static_cast<float>(first + generator.Below(choices));
        } else {
          // More integers than 32 random bits can choose from: a 53-bit fraction of the span,
          // floored, so every value stays a whole number within [first, last].
          for (float& value : values) {
            const std::uint64_t bits = (std::uint64_t{generator.Next()} << 21) ^ (generator.Next() >> 11);
            const double unit = static_cast<double>(bits & ((std::uint64_t{1} << 53) - 1)) / 9007199254740992.0;
            value = static_cast<float>(first + std::floor(unit * span));
          }
        }
      } else {
        // 24 random bits give every float step in [0, 1] the same chance.
        for (float& value : values) {
          const float unit = static_cast<float>(generator.Next() >> 8u) / 16777215.0f;
          value = low + (high - low) * unit;
        }
      }
      break;
    }
  }
  return values;
}

}  // namespace convtutor
